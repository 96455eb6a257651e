import { type FormEvent, useState } from 'react';
import { ApiError } from '../../../shared/api/http';
import { Notice } from '../../../shared/ui/notice';
import { TextField } from '../../../shared/ui/text-field';
import { checkAdminToken } from '../api/check-token';

export interface SignInProps {
  onSignedIn(token: string): void;
  /** Why the last session ended, if it did. */
  reason?: string | null;
}

/** The operator's token, checked with the server before it is kept (for this tab only). */
export function SignIn({ onSignedIn, reason }: SignInProps) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim();
    if (value === '') {
      setError('Paste the operator token printed at the first start (ADMIN_TOKEN), or an operator key.');
      return;
    }
    setChecking(true);
    setError(null);
    try {
      if (await checkAdminToken(value)) onSignedIn(value);
      else setError('The server refused this token.');
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'The server could not be reached.');
    } finally {
      setChecking(false);
    }
  };

  return (
    <main className="sign-in">
      <form className="card sign-in__card" onSubmit={submit} noValidate aria-labelledby="sign-in-title">
        <p className="page__eyebrow">Waitroom</p>
        <h1 id="sign-in-title">Operator sign-in</h1>
        {reason ? <Notice tone="warning">{reason}</Notice> : null}
        <TextField
          label="Operator token"
          type="password"
          name="token"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.currentTarget.value)}
          error={error}
          hint="Kept in this tab only, until you sign out or close it."
        />
        <button type="submit" className="button button--wide" disabled={checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
