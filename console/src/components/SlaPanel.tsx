// A ticket's service levels for support: each clock's state, what is left (or over), when it is due.
import { useEffect, useState } from 'preact/hooks';
import { api, type Schemas } from '../api/client';
import { duration, label, METRIC_LABEL, when } from '../format';

type TicketSla = Schemas['TicketSlaDto'];

/** Reloads whenever `version` changes (the ticket page bumps it on every event of the ticket). */
export function SlaPanel({ ticketId, version }: { ticketId: string; version: number }) {
  const [sla, setSla] = useState<TicketSla | null>(null);
  useEffect(() => {
    void api.GET('/api/v1/tickets/{ticket_id}/sla', { params: { path: { ticket_id: ticketId } } }).then(({ data }) => setSla(data ?? null));
  }, [ticketId, version]);
  if (!sla) return null;
  return (
    <section class="card" aria-labelledby="sla-heading" data-testid="sla">
      <h2 id="sla-heading">Service levels</h2>
      <p class="muted small">
        {sla.policy.name} (version {sla.policy.version})
      </p>
      <dl class="sla-metrics">
        {sla.metrics.map((metric) => (
          <div key={metric.metric} data-metric={metric.metric} data-state={metric.state}>
            <dt>
              <strong>{METRIC_LABEL[metric.metric]}</strong> · {label(metric.state)}
            </dt>
            <dd>
              {metric.state === 'met'
                ? `Met ${when(metric.met_at)}`
                : metric.state === 'breached'
                  ? `Over by ${duration(-metric.remaining_seconds)} (target ${metric.target})`
                  : metric.state === 'paused'
                    ? `${duration(metric.remaining_seconds)} left when it resumes (target ${metric.target})`
                    : `${duration(metric.remaining_seconds)} left · due ${when(metric.due_at)}`}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
