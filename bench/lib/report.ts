// One line of the bench table, and the table itself (printed, and written as bench/results/latest.json).
import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { LoadResult } from './load';
import { ROOT } from './processes';

export class Row {
  constructor(
    readonly scenario: string,
    /** What the product did, in words and figures (e.g. "1,234 req/s, p50 12 ms, p99 40 ms"). */
    readonly product: string,
    readonly baseline: string,
    /** Product over baseline, the figure the target is set on; null without a baseline. */
    readonly ratio: number | null,
    readonly target: string,
    readonly met: boolean,
    readonly figures: Record<string, unknown>,
  ) {}

  /** `baselineRuns` says what the baseline did for each request, before its figures. */
  static load(scenario: string, product: LoadResult, baseline: LoadResult | undefined, target: string, met: boolean, baselineRuns?: string): Row {
    const failed = product.failures + (baseline?.failures ?? 0);
    return new Row(
      scenario,
      describeLoad(product),
      baseline ? `${baselineRuns ? `${baselineRuns}: ` : ''}${describeLoad(baseline)}` : 'n/a',
      baseline ? product.requestsPerSecond / baseline.requestsPerSecond : null,
      target,
      met && failed === 0,
      { product, baseline: baseline ?? null },
    );
  }
}

export function describeLoad(result: LoadResult): string {
  const failures = result.failures ? `, ${result.failures} FAILED` : '';
  return `${Math.round(result.requestsPerSecond).toLocaleString('en')} req/s, p50 ${ms(result.p50)}, p99 ${ms(result.p99)}${failures}`;
}

export const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

export function report(rows: Row[], meta: { database: string; quick: boolean }): string {
  const header = ['scenario', 'product', 'baseline (same run)', 'ratio', 'target', 'met'];
  const lines = rows.map((row) => [row.scenario, row.product, row.baseline, row.ratio === null ? '—' : `${row.ratio.toFixed(2)}×`, row.target, row.met ? 'yes' : 'NO']);
  const table = [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  const json = {
    date: new Date().toISOString(),
    database: meta.database,
    quick: meta.quick,
    versions: versions(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
    rows,
  };
  const directory = join(ROOT, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'latest.json'), JSON.stringify(json, null, 2));
  return `\n${meta.database === 'postgres' ? 'PostgreSQL' : 'Embedded PGlite'}${meta.quick ? ' (quick run: small data, short load — a smoke test, not figures)' : ''}\n\n${table}\n`;
}

function versions(): Record<string, string> {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
  const of = (name: string) => lock.packages[`node_modules/${name}`]?.version ?? '?';
  let commit = '?';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    // not a git checkout
  }
  return { commit, nest: of('@nestjs/core'), typeorm: of('typeorm'), pg: of('pg'), pglite: of('@electric-sql/pglite'), langgraph: of('@langchain/langgraph'), autocannon: of('autocannon') };
}
