import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, type FieldErrors, type Schemas } from '../api/client';
import { Alert, Field } from '../components/ui';
import { href } from '../router';
import { session } from '../session';

export function SignIn({ notice }: { notice: string | null }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({ byField: {}, other: [] });
  const [busy, setBusy] = useState(false);
  const [demo, setDemo] = useState<Schemas['DemoStatusDto'] | null>(null);

  useEffect(() => {
    // Without the demo (or the server) this says nothing: the form works the same.
    api.GET('/api/v1/demo').then(({ data }) => setDemo(data?.enabled ? data : null), () => undefined);
  }, []);

  const useDemoAccount = (demoEmail: string) => {
    setEmail(demoEmail);
    setPassword(demo?.password ?? '');
    document.getElementById('password')?.focus();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const { error } = await session.signIn(email.trim(), password);
    setBusy(false);
    // The console signs in with the OAuth2 form's names: the email's problems come under `username`.
    setErrors(error ? fieldErrors(error, ['username', 'password']) : { byField: {}, other: [] });
  };

  return (
    <main id="main" class="auth">
      <form class="card narrow" onSubmit={submit} aria-labelledby="signin-title" noValidate>
        <h1 id="signin-title">Sign in to the IT Support Desk</h1>
        {notice ? <Alert kind="info" messages={[notice]} /> : null}
        <Alert messages={errors.other} />
        <Field id="email" label="Email" required errors={errors.byField.username}>
          {(describedBy, invalid) => (
            <input id="email" type="email" autocomplete="username" required value={email} aria-describedby={describedBy} aria-invalid={invalid} onInput={(e) => setEmail(e.currentTarget.value)} />
          )}
        </Field>
        <Field id="password" label="Password" required errors={errors.byField.password}>
          {(describedBy, invalid) => (
            <input id="password" type="password" autocomplete="current-password" required value={password} aria-describedby={describedBy} aria-invalid={invalid} onInput={(e) => setPassword(e.currentTarget.value)} />
          )}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p>
          New here? <a href={href('/register')}>Create an account</a>
        </p>
      </form>
      {demo ? <DemoAccounts demo={demo} onUse={useDemoAccount} /> : null}
    </main>
  );
}

const ROLE_NAMES: Record<string, string> = { user: 'Employee', support: 'Support', admin: 'Admin' };

/** The demo's accounts (DEMO=true only, never in production), so that a newcomer can try each role. */
function DemoAccounts({ demo, onUse }: { demo: Schemas['DemoStatusDto']; onUse: (email: string) => void }) {
  return (
    <section class="card narrow demo-accounts" aria-labelledby="demo-accounts-title">
      <h2 id="demo-accounts-title">Trying the demo?</h2>
      <p>
        Sign in as any of these accounts with the password <code>{demo.password}</code>.
      </p>
      <ul>
        {demo.accounts.map((account) => (
          <li key={account.email}>
            <span>
              <strong>{ROLE_NAMES[account.role] ?? account.role}</strong> {account.email}
            </span>
            <button type="button" class="secondary" aria-label={`Use the ${ROLE_NAMES[account.role] ?? account.role} demo account, ${account.email}`} onClick={() => onUse(account.email)}>
              Use
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
