// Ingestion of a large Markdown manual and a long PDF while the instance keeps serving: chunks per second,
// and how /health answers meanwhile (probed back to back, as a load balancer would, only more often).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchContext } from '../lib/context';
import { percentile } from '../lib/load';
import { writePdf } from '../lib/pdf';
import { sleep } from '../lib/processes';
import { ms, Row } from '../lib/report';

export async function ingestScenario(context: BenchContext, kbSample: string): Promise<Row> {
  const { markdownBytes, pdfPages } = context.settings;
  const docs = readdirSync(join(kbSample, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => readFileSync(join(kbSample, 'docs', name), 'utf8'));
  let markdown = '# Operations handbook\n\n';
  for (let part = 0; Buffer.byteLength(markdown) < markdownBytes; part += 1) markdown += `\n\n## Part ${part}\n\n${docs[part % docs.length]}`;
  const lines = docs.join('\n').split('\n').map((line) => line.trim()).filter((line) => line.length > 20).map((line) => line.slice(0, 95));
  const pdf = writePdf(Array.from({ length: pdfPages }, (_, page) => [`Page ${page + 1} of the network runbook`, ...lines.slice((page * 55) % (lines.length - 60), ((page * 55) % (lines.length - 60)) + 55)]));

  const probes: number[] = [];
  let failedProbes = 0;
  let uploading = true;
  const probing = (async () => {
    while (uploading) {
      const started = performance.now();
      const response = await fetch(`${context.app.url}/health`).catch(() => null);
      probes.push(performance.now() - started);
      if (!response?.ok) failedProbes += 1;
      await response?.arrayBuffer();
      await sleep(20);
    }
  })();
  const upload = async (name: string, content: Buffer | string) => {
    const form = new FormData();
    form.append('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
    const started = performance.now();
    const response = await fetch(`${context.app.url}/api/v1/llm/ingest_doc`, { method: 'POST', headers: context.auth, body: form });
    const body = (await response.json()) as { chunks: number };
    if (!response.ok) throw new Error(`ingesting ${name}: ${response.status} ${JSON.stringify(body)}`);
    return { chunks: body.chunks, seconds: (performance.now() - started) / 1000 };
  };
  let results: Array<{ chunks: number; seconds: number }>;
  try {
    await sleep(200);
    results = [await upload('operations-handbook.md', markdown), await upload('network-runbook.pdf', pdf)];
  } finally {
    uploading = false;
    await probing;
  }
  const [md, pdfResult] = results;
  const p99 = percentile(probes, 99);
  return new Row(
    `ingest ${(Buffer.byteLength(markdown) / 2 ** 20).toFixed(0)} MB Markdown, then a ${pdfPages}-page PDF`,
    `Markdown ${Math.round(md.chunks / md.seconds)} chunks/s (${md.chunks} in ${md.seconds.toFixed(1)} s), PDF ${Math.round(pdfResult.chunks / pdfResult.seconds)} chunks/s (${pdfResult.chunks} in ${pdfResult.seconds.toFixed(1)} s); /health meanwhile p50 ${ms(percentile(probes, 50))}, p99 ${ms(p99)}, max ${ms(Math.max(...probes))}${failedProbes ? `, ${failedProbes} failed` : ''}`,
    '—',
    null,
    'chunks/s reported; /health p99 < 100 ms',
    p99 < 100 && failedProbes === 0,
    { markdown: md, pdf: pdfResult, healthProbes: probes.length, healthP50: percentile(probes, 50), healthP99: p99, failedProbes },
  );
}
