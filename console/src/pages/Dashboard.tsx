// The desk at a glance: tickets per status, requests per day, how long resolution takes, how much the
// assistant resolves on its own, the approvals that wait (with their age), and the tickets major incidents took
// over. Refreshed as events arrive.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorMessages, type Schemas } from '../api/client';
import { BarChart, ShareRing } from '../components/BarChart';
import { Alert, LiveIndicator, Loading } from '../components/ui';
import { duration, STATUS_LABEL } from '../format';
import { useLiveEvents } from '../live';
import { href } from '../router';

type Stats = Schemas['TicketStatsDto'];
const WINDOWS = [7, 30, 90];
/** Many events arrive in a burst (one workflow run writes several); one reload covers them all. */
const RELOAD_AFTER_MS = 2000;

export function Dashboard() {
  const [days, setDays] = useState(30);
  const [stats, setStats] = useState<Stats | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const load = async () => {
    const { data, error } = await api.GET('/api/v1/tickets/stats', { params: { query: { days } } });
    if (!data) return setErrors(errorMessages(error));
    setErrors([]);
    setStats(data);
  };
  useEffect(() => void load(), [days]);
  useEffect(() => () => clearTimeout(reloadTimer.current), []);

  const live = useLiveEvents(null, (event) => {
    if (event.type !== 'workflow_update' || reloadTimer.current) return;
    reloadTimer.current = setTimeout(() => {
      reloadTimer.current = undefined;
      void load();
    }, RELOAD_AFTER_MS);
  });

  return (
    <section>
      <div class="heading-row">
        <h1>Dashboard</h1>
        <LiveIndicator state={live} />
        <label class="inline">
          Period
          <select value={days} onChange={(event) => setDays(Number(event.currentTarget.value))}>
            {WINDOWS.map((value) => <option key={value} value={value}>Last {value} days</option>)}
          </select>
        </label>
      </div>
      <Alert messages={errors} />
      {!stats ? (
        <Loading what="the figures" />
      ) : (
        <>
          <div class="tiles">
            <Tile label="Open now" value={openCount(stats)} />
            <Tile label={`Resolved in ${stats.window_days} days`} value={stats.resolution.resolved} />
            <Tile label="Median time to resolution" value={duration(stats.resolution.median_seconds)} />
            <Tile label="Approvals waiting" value={stats.approvals_waiting.count} detail={stats.approvals_waiting.oldest_seconds !== null ? `oldest ${duration(stats.approvals_waiting.oldest_seconds)}` : undefined} />
            <Tile label="Tickets absorbed by incidents" value={stats.absorbed_by_incidents} detail="answered once, on their major incident" />
          </div>
          <div class="charts">
            <div class="card">
              <BarChart id="by-status" title="Tickets per status" bars={stats.by_status.map((row) => ({ label: STATUS_LABEL[row.status], value: row.count, tone: `status-${row.status}` }))} />
            </div>
            <div class="card">
              <BarChart id="per-day" title="Requests per day" orientation="vertical" bars={stats.created_per_day.map((row) => ({ label: row.date.slice(5), value: row.count }))} />
            </div>
            <div class="card">
              <BarChart id="resolution" title="Time to resolution" orientation="vertical" bars={stats.resolution.buckets.map((row) => ({ label: row.label, value: row.count }))} />
              <p class="muted small">Median {duration(stats.resolution.median_seconds)} · 90th percentile {duration(stats.resolution.p90_seconds)}</p>
            </div>
            <div class="card">
              <ShareRing
                id="assistant-share"
                title="Resolved by the assistant on its own"
                share={stats.resolution.assistant_share}
                detail={`${stats.resolution.assistant_resolved} of ${stats.resolution.resolved} resolved tickets, no support action needed`}
              />
            </div>
            <div class="card">
              <BarChart id="approval-age" title="Approvals waiting, by age" orientation="vertical" bars={stats.approvals_waiting.age_buckets.map((row) => ({ label: row.label, value: row.count, tone: 'status-waiting_for_approval' }))} />
              {stats.approvals_waiting.tickets.length ? (
                <ol class="oldest">
                  {stats.approvals_waiting.tickets.map((ticket) => (
                    <li key={ticket.ticket_id}>
                      <a href={href(`/tickets/${ticket.ticket_id}`)}>{ticket.title}</a> <span class="muted">waiting {duration(ticket.waiting_seconds)}</span>
                    </li>
                  ))}
                </ol>
              ) : null}
            </div>
          </div>
        </>
      )}
    </section>
  );
}

function Tile({ label, value, detail }: { label: string; value: string | number; detail?: string }) {
  return (
    <div class="tile card">
      <p class="tile-value">{value}</p>
      <p class="tile-label">{label}</p>
      {detail ? <p class="muted small">{detail}</p> : null}
    </div>
  );
}

const OPEN: Stats['by_status'][number]['status'][] = ['pending', 'in_progress', 'waiting_for_user', 'waiting_for_approval', 'escalated', 'error'];

function openCount(stats: Stats): number {
  return stats.by_status.filter((row) => OPEN.includes(row.status)).reduce((sum, row) => sum + row.count, 0);
}
