// Admin: canned replies (macros) support fills in on a ticket — their text with placeholders, and whether
// sending one makes an internal note or resolves the ticket.
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessages, fieldErrors, type Schemas } from '../api/client';
import { Alert, Field, Loading } from '../components/ui';
import { when } from '../format';

type Macro = Schemas['MacroDto'];
type Draft = { name: string; body: string; internal: boolean; resolve: boolean };

const EMPTY: Draft = { name: '', body: '', internal: false, resolve: false };
const PLACEHOLDERS = ['{{requester.first_name}}', '{{requester.name}}', '{{requester.email}}', '{{ticket.title}}', '{{ticket.id}}', '{{agent.first_name}}', '{{agent.name}}'];

export function Macros() {
  const [macros, setMacros] = useState<Macro[] | null>(null);
  const [editing, setEditing] = useState<Macro | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [notice, setNotice] = useState<string[]>([]);
  // A new form after each save: a created reply leaves an empty form for the next one.
  const [saves, setSaves] = useState(0);

  const load = async () => {
    const { data, error } = await api.GET('/api/v1/macros');
    if (!data) return setErrors(errorMessages(error));
    setMacros(data.macros);
  };
  useEffect(() => void load(), []);

  const remove = async (macro: Macro) => {
    if (!confirm(`Delete the canned reply “${macro.name}”? Support can no longer use it.`)) return;
    const { error } = await api.DELETE('/api/v1/macros/{macro_id}', { params: { path: { macro_id: macro.macro_id } } });
    if (error) return setErrors(errorMessages(error));
    setMacros((list) => list?.filter((other) => other.macro_id !== macro.macro_id) ?? null);
    setNotice([`“${macro.name}” was deleted.`]);
    if (editing?.macro_id === macro.macro_id) setEditing(null);
  };

  const saved = (macro: Macro, created: boolean) => {
    setNotice([`“${macro.name}” was ${created ? 'created' : 'saved'}.`]);
    setEditing(null);
    setSaves((count) => count + 1);
    void load();
  };

  return (
    <section>
      <h1>Canned replies</h1>
      <Alert messages={errors} />
      <Alert kind="success" messages={notice} />
      {!macros ? (
        <Loading what="canned replies" />
      ) : macros.length === 0 ? (
        <p class="muted">No canned replies yet.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Canned replies</caption>
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Reply</th><th scope="col">Sends as</th><th scope="col">Changed</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              {macros.map((macro) => (
                <tr key={macro.macro_id} data-macro={macro.name}>
                  <td>{macro.name}</td>
                  <td class="prewrap">{macro.body.length > 120 ? `${macro.body.slice(0, 117)}…` : macro.body}</td>
                  <td>{macro.internal ? 'Internal note' : macro.resolve ? 'Resolution' : 'Comment'}</td>
                  <td>{when(macro.updated_at)}</td>
                  <td>
                    <button type="button" class="link" onClick={() => setEditing(macro)}>Edit<span class="visually-hidden"> {macro.name}</span></button>
                    <button type="button" class="link danger" onClick={() => void remove(macro)}>Delete<span class="visually-hidden"> {macro.name}</span></button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <MacroForm key={`${editing?.macro_id ?? 'new'}-${saves}`} macro={editing} onSaved={saved} onCancel={() => setEditing(null)} />
    </section>
  );
}

function MacroForm({ macro, onSaved, onCancel }: { macro: Macro | null; onSaved: (macro: Macro, created: boolean) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<Draft>(macro ? { name: macro.name, body: macro.body, internal: macro.internal, resolve: macro.resolve } : EMPTY);
  const [problems, setProblems] = useState<{ byField: Record<string, string[]>; other: string[] }>({ byField: {}, other: [] });
  const [busy, setBusy] = useState(false);
  const set = (changes: Partial<Draft>) => setDraft((current) => ({ ...current, ...changes }));

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const { data, error } = macro
      ? await api.PATCH('/api/v1/macros/{macro_id}', { params: { path: { macro_id: macro.macro_id } }, body: draft })
      : await api.POST('/api/v1/macros', { body: draft });
    setBusy(false);
    if (!data) return setProblems(fieldErrors(error, ['name', 'body']));
    onSaved(data, !macro);
  };

  const headingId = 'macro-form-heading';
  return (
    <form class="card" onSubmit={submit} aria-labelledby={headingId}>
      <h2 id={headingId}>{macro ? `Edit “${macro.name}”` : 'New canned reply'}</h2>
      <Alert messages={problems.other} />
      <Field id="macro-name" label="Name" required errors={problems.byField.name}>
        {(describedBy, invalid) => (
          <input id="macro-name" value={draft.name} maxLength={100} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => set({ name: event.currentTarget.value })} />
        )}
      </Field>
      <Field id="macro-body" label="Reply" required errors={problems.byField.body} hint={`Placeholders: ${PLACEHOLDERS.join(' ')}`}>
        {(describedBy, invalid) => (
          <textarea id="macro-body" rows={5} value={draft.body} maxLength={5000} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => set({ body: event.currentTarget.value })} />
        )}
      </Field>
      <label class="check">
        <input type="checkbox" checked={draft.internal} onChange={(event) => set({ internal: event.currentTarget.checked, resolve: event.currentTarget.checked ? false : draft.resolve })} /> Send as an internal note (support and admin only)
      </label>
      <label class="check">
        <input type="checkbox" checked={draft.resolve} onChange={(event) => set({ resolve: event.currentTarget.checked, internal: event.currentTarget.checked ? false : draft.internal })} /> Sending it resolves the ticket
      </label>
      <div class="button-row">
        <button type="submit" disabled={busy}>{macro ? 'Save' : 'Create'}</button>
        {macro ? <button type="button" class="secondary" onClick={onCancel}>Cancel</button> : null}
      </div>
    </form>
  );
}
