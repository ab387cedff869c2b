// Liveness while unauthenticated clients send bodies built to be expensive: 1 MB of ~95,000 unknown JSON
// keys to the sign-in route, back to back from several connections. /health/live is probed meanwhile and,
// in the same run, with nothing else going on: the product's latency beside its own idle baseline.
import { BenchContext } from '../lib/context';
import { percentile } from '../lib/load';
import { sleep } from '../lib/processes';
import { ms, Row } from '../lib/report';

const HOSTILE_BODY = `{${Array.from({ length: 95_000 }, (_, index) => `"k${index}":1`).join(',')}}`;
const SENDERS = 4;

export async function hostileBodiesScenario(context: BenchContext): Promise<Row> {
  const seconds = context.settings.loadSeconds;
  const idle = await probeLiveness(context.app.url, seconds);
  let sending = true;
  let sent = 0;
  let refusedQuickly = 0;
  const senders = Array.from({ length: SENDERS }, async () => {
    while (sending) {
      const started = performance.now();
      const response = await fetch(`${context.app.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: HOSTILE_BODY });
      await response.arrayBuffer();
      sent += 1;
      if (response.status === 400 && performance.now() - started < 100) refusedQuickly += 1;
    }
  });
  let underAttack: number[];
  try {
    await sleep(200);
    underAttack = await probeLiveness(context.app.url, seconds);
  } finally {
    sending = false;
    await Promise.all(senders);
  }
  const p99 = percentile(underAttack, 99);
  return new Row(
    `/health/live while ${SENDERS} clients send 1 MB bodies of 95,000 unknown keys`,
    `p50 ${ms(percentile(underAttack, 50))}, p99 ${ms(p99)}, max ${ms(Math.max(...underAttack))}; ${sent} bodies sent, ${refusedQuickly} refused (400) within 100 ms`,
    `idle: p50 ${ms(percentile(idle, 50))}, p99 ${ms(percentile(idle, 99))}`,
    null,
    '/health/live p99 < 100 ms',
    p99 < 100,
    { sent, refusedQuickly, probes: underAttack.length, p50: percentile(underAttack, 50), p99, idleP99: percentile(idle, 99) },
  );
}

/** /health/live latencies, probed back to back (20 ms apart) for `seconds`. */
async function probeLiveness(url: string, seconds: number): Promise<number[]> {
  const latencies: number[] = [];
  for (const until = Date.now() + seconds * 1000; Date.now() < until; await sleep(20)) {
    const started = performance.now();
    const response = await fetch(`${url}/health/live`);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`/health/live answered ${response.status}`);
    latencies.push(performance.now() - started);
  }
  return latencies;
}
