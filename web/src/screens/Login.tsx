import { useState } from 'preact/hooks';
import type { Api } from '../api/client';
import { ApiError } from '../api/problem';
import type { Me } from '../api/types';

export function Login({
  api,
  notice,
  onLoggedIn,
}: {
  api: Api;
  notice: string | null;
  onLoggedIn: (token: string, user: Me) => void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const res = await api.login(username.trim(), password);
      onLoggedIn(res.token, res.user);
    } catch (err) {
      if (err instanceof ApiError) {
        setError(err.detail);
        setFieldErrors(err.fieldErrors);
      } else {
        setError(String(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="card login-card" onSubmit={submit} noValidate data-testid="login-form">
        <h1 class="brand brand-big">
          Pharma<span>CRM</span>
        </h1>
        <p class="muted">Sign in to continue</p>
        {notice && !error && <p class="notice">{notice}</p>}
        {error && (
          <p class="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellcheck={false}
            required
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
            aria-invalid={fieldErrors.username ? true : undefined}
          />
          {fieldErrors.username && <span class="field-error">{fieldErrors.username}</span>}
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            aria-invalid={fieldErrors.password ? true : undefined}
          />
          {fieldErrors.password && <span class="field-error">{fieldErrors.password}</span>}
        </label>
        <button type="submit" class="btn btn-primary" disabled={busy || !username || !password}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
