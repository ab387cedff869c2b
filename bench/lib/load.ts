// Load through autocannon, keeping its full latency histogram so that any percentile can be read (its
// summary stops at p90, p97.5 and p99).
import autocannon from 'autocannon';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { decodeHist } = require('autocannon/lib/histUtil') as { decodeHist(encoded: string): { getValueAtPercentile(p: number): number; destroy(): void } };

/** autocannon's result before aggregation (skipAggregateResult): counts, and histograms encoded. */
interface RawResult {
  latencies: string;
  totalCompletedRequests: number;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  /** Non-2xx answers and socket errors together: any is a failed run. */
  failures: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** A different path per request (e.g. rotating filters), relative to `url`'s origin. */
  paths?: string[];
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const opts = {
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    skipAggregateResult: true,
    ...(options.paths ? { requests: [{ setupRequest: (request: Record<string, unknown>) => ({ ...request, path: options.paths![next++ % options.paths!.length] }) }] } : {}),
  };
  const raw = (await autocannon(opts as autocannon.Options)) as unknown as RawResult;
  const latencies = decodeHist(raw.latencies);
  const result: LoadResult = {
    requestsPerSecond: raw.totalCompletedRequests / raw.duration,
    p50: latencies.getValueAtPercentile(50),
    p95: latencies.getValueAtPercentile(95),
    p99: latencies.getValueAtPercentile(99),
    requests: raw.totalCompletedRequests,
    failures: raw.non2xx + raw.errors + raw.timeouts,
  };
  latencies.destroy();
  return result;
}

/** Baseline and product by turns, each measured `rounds` times, so that the machine's noise falls on both. */
export async function alternate(product: () => Promise<LoadResult>, baseline: () => Promise<LoadResult>, rounds: number): Promise<{ product: LoadResult; baseline: LoadResult }> {
  const products: LoadResult[] = [];
  const baselines: LoadResult[] = [];
  for (let round = 0; round < rounds; round += 1) {
    baselines.push(await baseline());
    products.push(await product());
  }
  return { product: median(products), baseline: median(baselines) };
}

/** The run with the median throughput (its latencies with it, as measured together). */
export function median(results: LoadResult[]): LoadResult {
  const sorted = [...results].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const middle = sorted[Math.floor(sorted.length / 2)];
  return { ...middle, failures: results.reduce((sum, result) => sum + result.failures, 0) };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
