import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../shared/styles/base.css';
import './admin.css';
import { AdminApp } from './admin-app';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <AdminApp />
    </StrictMode>,
  );
}
