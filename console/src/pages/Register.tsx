import { useState } from 'preact/hooks';
import { api, fieldErrors } from '../api/client';
import { Alert, Field } from '../components/ui';
import { href, navigate } from '../router';
import { session } from '../session';

const FIELDS = ['email', 'password', 'full_name', 'employee_id'] as const;
type Form = Record<(typeof FIELDS)[number], string>;

export function Register() {
  const [form, setForm] = useState<Form>({ email: '', password: '', full_name: '', employee_id: '' });
  const [errors, setErrors] = useState<ReturnType<typeof fieldErrors>>({ byField: {}, other: [] });
  const [busy, setBusy] = useState(false);
  const update = (name: keyof Form) => (event: { currentTarget: HTMLInputElement }) => setForm({ ...form, [name]: event.currentTarget.value });

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const { error } = await api.POST('/api/v1/auth/register', { body: form });
    if (error) {
      setBusy(false);
      return setErrors(fieldErrors(error, FIELDS));
    }
    await session.signIn(form.email, form.password);
    navigate('/tickets');
  };

  return (
    <main id="main" class="auth">
      <form class="card narrow" onSubmit={submit} aria-labelledby="register-title" noValidate>
        <h1 id="register-title">Create your account</h1>
        <Alert messages={errors.other} />
        <Field id="full_name" label="Full name" required errors={errors.byField.full_name}>
          {(d, invalid) => <input id="full_name" autocomplete="name" value={form.full_name} aria-describedby={d} aria-invalid={invalid} onInput={update('full_name')} />}
        </Field>
        <Field id="employee_id" label="Employee ID" required errors={errors.byField.employee_id} hint="As on your badge, e.g. E12345">
          {(d, invalid) => <input id="employee_id" value={form.employee_id} aria-describedby={d} aria-invalid={invalid} onInput={update('employee_id')} />}
        </Field>
        <Field id="reg-email" label="Work email" required errors={errors.byField.email}>
          {(d, invalid) => <input id="reg-email" type="email" autocomplete="email" value={form.email} aria-describedby={d} aria-invalid={invalid} onInput={update('email')} />}
        </Field>
        <Field id="reg-password" label="Password" required errors={errors.byField.password} hint="At least 8 characters, with a letter and a digit">
          {(d, invalid) => <input id="reg-password" type="password" autocomplete="new-password" value={form.password} aria-describedby={d} aria-invalid={invalid} onInput={update('password')} />}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
        <p>
          Already have an account? <a href={href('/')}>Sign in</a>
        </p>
      </form>
    </main>
  );
}
