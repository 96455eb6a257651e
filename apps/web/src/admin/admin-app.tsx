import { useCallback, useMemo, useState } from 'react';
import { SignIn } from '../features/admin-session/components/sign-in';
import { type AdminSession, AdminSessionContext } from '../shared/admin/admin-session';
import { useStoredValue } from '../shared/hooks/use-stored-value';
import { RoomPage } from './room-page';
import { RoomsPage } from './rooms-page';
import { Link, usePath } from './router';

/** The operator's dashboard: sign-in, the rooms, one room's live page. */
export function AdminApp() {
  // sessionStorage: the token lives as long as this tab, and never in a URL.
  const [token, setToken] = useStoredValue<string>('session', 'waitroom:admin-token');
  const [reason, setReason] = useState<string | null>(null);
  const signOut = useCallback(
    (why?: string) => {
      setToken(null);
      setReason(why ?? null);
    },
    [setToken],
  );
  const session = useMemo<AdminSession | null>(() => (token ? { token, signOut } : null), [token, signOut]);
  const path = usePath();

  if (!session) {
    return (
      <SignIn
        reason={reason}
        onSignedIn={(t) => {
          setReason(null);
          setToken(t);
        }}
      />
    );
  }

  const roomMatch = /^\/admin\/rooms\/([^/]+)\/?$/.exec(path);
  const roomId = roomMatch?.[1] ? decodeURIComponent(roomMatch[1]) : null;

  return (
    <AdminSessionContext.Provider value={session}>
      <div className="admin">
        <header className="admin__bar">
          <Link href="/admin" className="admin__brand">
            Waitroom <span className="muted">operator</span>
          </Link>
          <button type="button" className="button button--quiet button--small" onClick={() => signOut()}>
            Sign out
          </button>
        </header>
        <main className="admin__main">
          {roomId ? <RoomPage key={roomId} roomId={roomId} /> : <RoomsPage />}
        </main>
      </div>
    </AdminSessionContext.Provider>
  );
}
