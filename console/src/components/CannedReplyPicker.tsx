// For support on a ticket: pick a canned reply, and it lands in the comment box filled in for this ticket,
// to edit and send. Filling it in writes nothing.
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessages, type Schemas } from '../api/client';
import { Alert } from './ui';

export type RenderedMacro = Schemas['RenderedMacroDto'];

export function CannedReplyPicker({ ticketId, onPicked }: { ticketId: string; onPicked: (reply: RenderedMacro) => void }) {
  const [macros, setMacros] = useState<Schemas['MacroDto'][]>([]);
  const [chosen, setChosen] = useState('');
  const [errors, setErrors] = useState<string[]>([]);

  useEffect(() => {
    void api.GET('/api/v1/macros').then(({ data }) => setMacros(data?.macros ?? []));
  }, []);

  const pick = async (macroId: string) => {
    setChosen(macroId);
    if (!macroId) return;
    const { data, error } = await api.POST('/api/v1/tickets/{ticket_id}/macros/{macro_id}/render', { params: { path: { ticket_id: ticketId, macro_id: macroId } } });
    if (!data) return setErrors(errorMessages(error));
    setErrors([]);
    onPicked(data);
    setChosen('');
  };

  if (macros.length === 0) return null;
  return (
    <div class="canned-reply">
      <label for="canned-reply">Canned reply</label>
      <select id="canned-reply" value={chosen} onChange={(event) => void pick(event.currentTarget.value)}>
        <option value="">Choose one to fill the comment box…</option>
        {macros.map((macro) => <option key={macro.macro_id} value={macro.macro_id}>{macro.name}</option>)}
      </select>
      <Alert messages={errors} />
    </div>
  );
}
