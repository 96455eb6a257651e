import { createContext, useContext, useEffect } from 'react';
import type { ApiError } from '../api/http';

/** The operator signed in: the token every operator call carries, and the way out. */
export interface AdminSession {
  token: string;
  signOut(reason?: string): void;
}

export const AdminSessionContext = createContext<AdminSession | null>(null);

export function useAdminSession(): AdminSession {
  const session = useContext(AdminSessionContext);
  if (!session) throw new Error('useAdminSession: no AdminSessionContext above this component');
  return session;
}

/** A refused operator token (changed, or the data folder replaced) ends the session. */
export function useSignOutWhenRefused(error: ApiError | null): void {
  const { signOut } = useAdminSession();
  useEffect(() => {
    if (error?.status === 401) signOut('The operator token was refused. Sign in again.');
  }, [error, signOut]);
}
