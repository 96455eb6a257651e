import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../shared/styles/base.css';
import './shopper.css';
import { ShopperApp } from './shopper-app';

/** `/rooms/<roomId>`: the page's room is the last part of its address. */
function roomIdOf(pathname: string): string | null {
  const match = /^\/rooms\/([^/]+)\/?$/.exec(pathname);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

const root = document.getElementById('root');
const roomId = roomIdOf(window.location.pathname);
if (root) {
  createRoot(root).render(
    <StrictMode>
      {roomId ? (
        <ShopperApp roomId={roomId} />
      ) : (
        <main className="page__main">
          <p>This address names no waiting room.</p>
        </main>
      )}
    </StrictMode>,
  );
}
