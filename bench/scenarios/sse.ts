// Live fan-out: many subscribers on one instance's stream of every ticket's events, updates posted one
// after another; each update's delay is from the moment its POST was sent (so it includes the request
// and its commit) to its arrival at each subscriber.
import { join } from 'node:path';
import { BenchContext } from '../lib/context';
import { percentile } from '../lib/load';
import { ROOT, sleep, startChild } from '../lib/processes';
import { ms, Row } from '../lib/report';
import { subscribe } from '../lib/sse-client';

export async function sseScenario(context: BenchContext): Promise<Row> {
  const { subscribers, updates } = context.settings;
  const fanOut = await measureFanOut(context, context.app.url, subscribers, updates);
  const { p50, p99, lost, duplicated } = fanOut;
  return new Row(
    `SSE fan-out, ${subscribers.toLocaleString('en')} subscribers, ${updates} updates`,
    `p50 ${ms(p50)}, p99 ${ms(p99)}, ${lost} lost, ${duplicated} duplicated`,
    '—',
    null,
    'p99 < 50 ms, 0 lost',
    p99 < 50 && lost === 0 && duplicated === 0,
    { ...fanOut },
  );
}

/**
 * Two instances on one PostgreSQL: subscribers on a second instance B, updates posted through the first
 * (A). B hears of A's commits over LISTEN/NOTIFY; its polls are set to a minute here, so a delay below that
 * is the notification's. The baseline is the same subscribers on A itself, in the same run.
 */
export async function crossInstanceSseScenario(context: BenchContext): Promise<Row> {
  const subscribers = context.settings.crossInstanceSubscribers;
  const { updates } = context.settings;
  const second = await startChild(join(ROOT, 'dist', 'src', 'main.js'), context.appEnv({ WORKFLOW_ENABLED: 'false', EVENTS_POLL_SECONDS: '60' }));
  try {
    const sameInstance = await measureFanOut(context, context.app.url, subscribers, updates);
    const across = await measureFanOut(context, second.url, subscribers, updates);
    return new Row(
      `SSE across instances: ${subscribers} subscribers on B, ${updates} updates through A`,
      `p50 ${ms(across.p50)}, p99 ${ms(across.p99)}, ${across.lost} lost, ${across.duplicated} duplicated`,
      `same instance: p50 ${ms(sameInstance.p50)}, p99 ${ms(sameInstance.p99)}`,
      sameInstance.p99 > 0 ? across.p99 / sameInstance.p99 : null,
      'p99 < 100 ms, 0 lost',
      across.p99 < 100 && across.lost === 0 && across.duplicated === 0,
      { across: { ...across }, sameInstance: { ...sameInstance } },
    );
  } finally {
    await second.stop();
  }
}

interface FanOut {
  p50: number;
  p99: number;
  lost: number;
  duplicated: number;
  deliveries: number;
}

/** `subscribers` streams on `streamBase`, `updates` comments posted through the context's app one after another. */
async function measureFanOut(context: BenchContext, streamBase: string, subscribers: number, updates: number): Promise<FanOut> {
  const ticket = (await (await fetch(`${context.app.url}/api/v1/tickets`, {
    method: 'POST',
    headers: { ...context.auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Outage: VPN down for everyone', description: 'Nobody can connect since 9:00.', request_type: 'network' }),
  })).json()) as { ticket_id: string };
  const sentAt: number[] = [];
  const delays: number[] = [];
  const received = new Array<number>(subscribers).fill(0);
  const streams = Array.from({ length: subscribers }, (_, subscriber) =>
    subscribe(`${streamBase}/api/v1/events?access_token=${context.token}`, (data) => {
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
  return { p50: percentile(delays, 50), p99: percentile(delays, 99), lost, duplicated, deliveries: delays.length };
}
