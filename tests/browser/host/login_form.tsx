// Signs in for real (POST /api/v4/users/login): the session cookie then authenticates every call.
import React, {useState} from 'react';
import {login} from './session';

export function LoginForm({onDone}: {onDone: () => void}) {
  const [loginId, setLoginId] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await login(loginId, password);
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className='preview-login' onSubmit={submit} aria-label='Sign in to Mattermost'>
      <h2>Sign in to the Mattermost server</h2>
      <p>Use an account of the server this page proxies (for make demo: the admin printed by the demo).</p>
      <label>
        Username or email
        <input name='login_id' autoComplete='username' value={loginId} onChange={(e) => setLoginId(e.target.value)} required />
      </label>
      <label>
        Password
        <input name='password' type='password' autoComplete='current-password' value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      <button type='submit' disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      {error && (
        <p className='preview-error' role='alert'>
          {error}
        </p>
      )}
    </form>
  );
}
