import { useState } from 'preact/hooks';
import { errorMessages } from '../api/client';
import { Alert, Field } from '../components/ui';
import { href } from '../router';
import { session } from '../session';

export function SignIn({ notice }: { notice: string | null }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const { error } = await session.signIn(email.trim(), password);
    setBusy(false);
    if (error) setErrors(errorMessages(error));
  };

  return (
    <main id="main" class="auth">
      <form class="card narrow" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to the IT Support Desk</h1>
        {notice ? <Alert kind="info" messages={[notice]} /> : null}
        <Alert messages={errors} />
        <Field id="email" label="Email" required>
          {(describedBy) => <input id="email" type="email" autocomplete="username" required value={email} aria-describedby={describedBy} onInput={(e) => setEmail(e.currentTarget.value)} />}
        </Field>
        <Field id="password" label="Password" required>
          {(describedBy) => (
            <input id="password" type="password" autocomplete="current-password" required value={password} aria-describedby={describedBy} onInput={(e) => setPassword(e.currentTarget.value)} />
          )}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p>
          New here? <a href={href('/register')}>Create an account</a>
        </p>
      </form>
    </main>
  );
}
