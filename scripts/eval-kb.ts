// `npm run eval:kb`: retrieval quality on ../shared/kb-sample (or KB_SAMPLE_DIR). Ingests every document
// through the API, asks every question through GET /api/v1/llm/search, and prints recall@5 and MRR@5 by
// document (a hit is a result from the page that answers the question). `KB_SAMPLE_DIR=demo` measures
// the demo knowledge base (demo/knowledge-base) on demo/questions.tsv, questions that mostly use other
// words than their page (synonyms, paraphrases), which only a semantic embedding can match.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { startLocalServer } from './local-server';

const K = 5;

async function main(): Promise<void> {
  const sampleDir = resolve(process.env.KB_SAMPLE_DIR ?? join(__dirname, '..', '..', '..', 'shared', 'kb-sample'));
  const docsDir = ['docs', 'knowledge-base'].map((name) => join(sampleDir, name)).find((dir) => existsSync(dir)) ?? join(sampleDir, 'docs');
  const questions = readFileSync(join(sampleDir, 'questions.tsv'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      const [question, page] = line.split('\t');
      return { question: question.trim(), page: page.trim() };
    });
  const server = await startLocalServer();
  const auth = { Authorization: `Bearer ${server.adminToken}` };
  try {
    const pageOfDocument = new Map<string, string>();
    const started = Date.now();
    for (const file of readdirSync(docsDir).sort()) {
      const form = new FormData();
      form.append('file', new Blob([readFileSync(join(docsDir, file))]), file);
      const response = await fetch(`${server.url}/api/v1/llm/ingest_doc`, { method: 'POST', headers: auth, body: form });
      const body = (await response.json()) as { document_id: string; detail?: string };
      if (!response.ok) throw new Error(`ingesting ${file}: ${response.status} ${body.detail}`);
      pageOfDocument.set(body.document_id, basename(file).replace(/\.(md|pdf)$/, ''));
    }
    const ingestSeconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `Knowledge base: ${pageOfDocument.size} documents ingested in ${ingestSeconds.toFixed(1)} s; ${questions.length} questions; ` +
        `embeddings: ${process.env.EMBEDDINGS_PROVIDER ?? 'default (offline without GEMINI_API_KEY)'}\n\n` +
        `mode      recall@${K}  MRR@${K}   ms/query (through HTTP; hybrid is what the API uses)\n`,
    );
    let hybridMisses: string[] = [];
    for (const mode of ['text', 'vector', 'hybrid'] as const) {
      let hits = 0;
      let reciprocalRanks = 0;
      const misses: string[] = [];
      const modeStarted = process.hrtime.bigint();
      for (const { question, page } of questions) {
        const query = new URLSearchParams({ q: question, k: String(K), mode });
        const response = await fetch(`${server.url}/api/v1/llm/search?${query}`, { headers: auth });
        const body = (await response.json()) as { results: Array<{ document_id: string }> };
        const pages = body.results.map((result) => pageOfDocument.get(result.document_id));
        const rank = pages.indexOf(page) + 1;
        if (rank > 0) {
          hits += 1;
          reciprocalRanks += 1 / rank;
        } else {
          misses.push(`  ${page.padEnd(20)} ${question}  → ${pages.join(', ')}`);
        }
      }
      const msPerQuery = Number(process.hrtime.bigint() - modeStarted) / 1e6 / questions.length;
      process.stdout.write(
        `${mode.padEnd(9)} ${(hits / questions.length).toFixed(3).padEnd(10)} ${(reciprocalRanks / questions.length).toFixed(3).padEnd(7)} ${msPerQuery.toFixed(1)}\n`,
      );
      hybridMisses = misses;
    }
    if (hybridMisses.length) process.stdout.write(`\nMissed by hybrid:\n${hybridMisses.join('\n')}\n`);
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
