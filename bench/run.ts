// `npm run bench`: the product under load next to hand-written baselines, in the same run (these machines
// are shared and noisy: only same-run comparisons mean something). On the PostgreSQL server named by
// DATABASE_URL (in a throwaway database beside it) when set, else on the embedded database.
// `npm run bench -- --quick`: the same scenarios on small data with short loads, so the suite cannot rot.
import { join } from 'node:path';
import { BenchContext, FULL, QUICK } from './lib/context';
import { ROOT } from './lib/processes';
import { report, Row } from './lib/report';
import { seedTickets } from './lib/seed';
import { hostileBodiesScenario } from './scenarios/hostile-bodies';
import { incidentBurstScenario } from './scenarios/incident-burst';
import { httpScenarios } from './scenarios/http';
import { ingestScenario } from './scenarios/ingest';
import { searchScenario } from './scenarios/search';
import { crossInstanceSseScenario, sseScenario } from './scenarios/sse';
import { workflowScenario } from './scenarios/workflow';

const WITHOUT_WORKFLOW = { WORKFLOW_ENABLED: 'false' };

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
  const kbSample = process.env.KB_SAMPLE_DIR ?? join(ROOT, '..', 'shared', 'kb-sample');
  const context = await BenchContext.create({ quick, ...(quick ? QUICK : FULL) });
  const rows: Row[] = [];
  const runs = (name: string) => !only || only.includes(name);
  const step = async (name: string, work: () => Promise<Row | Row[]>) => {
    if (!runs(name)) return;
    const started = Date.now();
    process.stderr.write(`bench: ${name}…`);
    const result = await work();
    rows.push(...(Array.isArray(result) ? result : [result]));
    process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  };
  try {
    process.stderr.write(`bench: starting the built app on ${context.database === 'postgres' ? 'PostgreSQL' : 'the embedded database'}\n`);
    // The workflow burst first, on an instance whose queue holds only its own requests; then the other
    // scenarios with the workflow off: every ticket they file would otherwise queue a run (and a restart
    // adopts pending tickets), and the raw baselines run no workflow.
    await context.startApp(runs('workflow') ? {} : WITHOUT_WORKFLOW);
    await step('workflow', () => workflowScenario(context, kbSample));
    if (runs('workflow')) await context.restartApp(WITHOUT_WORKFLOW);
    // Two instances of their own on a fresh database, the workflow on; before the loads below, whose
    // thousands of tickets keep the bench's own app busy deriving for a while after they end.
    if (context.database === 'postgres') await step('incident-burst', () => incidentBurstScenario(context));
    await step('http', async () => {
      await context.withDatabase((db) => seedTickets(db, context.admin, context.settings.tickets));
      return httpScenarios(context);
    });
    await step('hostile-bodies', () => hostileBodiesScenario(context));
    await step('sse', () => sseScenario(context));
    // Several instances share one database only on a server (the embedded one is a single process's).
    if (context.database === 'postgres') await step('sse-instances', () => crossInstanceSseScenario(context));
    await step('search', () => searchScenario(context, kbSample));
    await step('ingest', () => ingestScenario(context, kbSample));
  } finally {
    await context.close();
  }
  process.stdout.write(report(rows, { database: context.database, quick }));
  process.stdout.write(`\nWritten to bench/results/latest.json.\n`);
  // A quick run is a smoke test of the suite: it fails on errors, not on figures from a tiny data set.
  if (!quick && rows.some((row) => !row.met)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
