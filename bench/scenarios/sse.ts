// Live fan-out: many subscribers on one instance's stream of every ticket's events, updates posted one
// after another; each update's delay is from the moment its POST was sent (so it includes the request
// and its commit) to its arrival at each subscriber.
import { BenchContext } from '../lib/context';
import { percentile } from '../lib/load';
import { sleep } from '../lib/processes';
import { ms, Row } from '../lib/report';
import { subscribe } from '../lib/sse-client';

export async function sseScenario(context: BenchContext): Promise<Row> {
  const { subscribers, updates } = context.settings;
  const ticket = (await (await fetch(`${context.app.url}/api/v1/tickets`, {
    method: 'POST',
    headers: { ...context.auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Outage: VPN down for everyone', description: 'Nobody can connect since 9:00.', request_type: 'network' }),
  })).json()) as { ticket_id: string };
  const sentAt: number[] = [];
  const delays: number[] = [];
  const received = new Array<number>(subscribers).fill(0);
  const streams = Array.from({ length: subscribers }, (_, subscriber) =>
    subscribe(`${context.app.url}/api/v1/events?access_token=${context.token}`, (data) => {
      const update = /bench update (\d+)\b/.exec(data);
      if (!update) return;
      delays.push(performance.now() - sentAt[Number(update[1])]);
      received[subscriber] += 1;
    }),
  );
  const open = await Promise.all(streams);
  try {
    await sleep(500);
    for (let update = 0; update < updates; update += 1) {
      sentAt[update] = performance.now();
      const response = await fetch(`${context.app.url}/api/v1/tickets/${ticket.ticket_id}/comments`, {
        method: 'POST',
        headers: { ...context.auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ body: `bench update ${update} of the outage` }),
      });
      if (!response.ok) throw new Error(`comment ${update}: ${response.status}`);
      await sleep(10);
    }
    const deadline = Date.now() + 10_000;
    while (received.some((count) => count < updates) && Date.now() < deadline) await sleep(50);
  } finally {
    open.forEach((stream) => stream.close());
  }
  const lost = received.reduce((sum, count) => sum + (updates - Math.min(updates, count)), 0);
  const duplicated = received.reduce((sum, count) => sum + Math.max(0, count - updates), 0);
  const p50 = percentile(delays, 50);
  const p99 = percentile(delays, 99);
  return new Row(
    `SSE fan-out, ${subscribers.toLocaleString('en')} subscribers, ${updates} updates`,
    `p50 ${ms(p50)}, p99 ${ms(p99)}, ${lost} lost, ${duplicated} duplicated`,
    '—',
    null,
    'p99 < 50 ms, 0 lost',
    p99 < 50 && lost === 0 && duplicated === 0,
    { p50, p99, lost, duplicated, deliveries: delays.length },
  );
}
