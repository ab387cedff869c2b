// Knowledge-base search over many chunks: the product's hybrid search through HTTP, one query at a time,
// next to the bare nearest-neighbour query on the same database (on a server), and the recall of that
// approximate (HNSW) query against an exact scan.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import pgvector from 'pgvector';
import { embedText } from '../../src/models/offline-embeddings';
import { BenchContext } from '../lib/context';
import { percentile } from '../lib/load';
import { ms, Row } from '../lib/report';
import { seedChunks } from '../lib/seed';

/** The candidate depth the product's search asks the vector index for (CANDIDATE_DEPTH in LlmService). */
const DEPTH = 100;

export async function searchScenario(context: BenchContext, kbSample: string): Promise<Row> {
  const chunks = context.database === 'postgres' ? context.settings.chunksServer : context.settings.chunksEmbedded;
  await context.withDatabase((db) => seedChunks(db, context.admin.id, chunks, join(kbSample, 'docs')));
  const questions = readFileSync(join(kbSample, 'questions.tsv'), 'utf8').split('\n').map((line) => line.split('\t')[0]).filter(Boolean);
  const rounds = context.settings.quick ? 1 : 4;

  const product: number[] = [];
  const search = async (q: string) => {
    const started = performance.now();
    const response = await fetch(`${context.app.url}/api/v1/llm/search?q=${encodeURIComponent(q)}&k=10`, { headers: context.auth });
    if (!response.ok) throw new Error(`search: ${response.status} ${await response.text()}`);
    await response.json();
    return performance.now() - started;
  };
  for (const q of questions.slice(0, 5)) await search(q); // warm-up
  for (let round = 0; round < rounds; round += 1) for (const q of questions) product.push(await search(q));
  const productP95 = percentile(product, 95);
  const name = `hybrid search, ${chunks.toLocaleString('en')} chunks, ${context.database === 'postgres' ? 'PostgreSQL' : 'embedded'}`;
  if (!context.databaseUrl) {
    return new Row(name, `p50 ${ms(percentile(product, 50))}, p95 ${ms(productP95)}`, '—', null, 'p95 < 100 ms', productP95 < 100, { product });
  }

  const db = new pg.Client({ connectionString: context.databaseUrl });
  await db.connect();
  try {
    const nearest = async (vector: string, exact: boolean): Promise<string[]> => {
      await db.query('BEGIN');
      await db.query(exact ? `SET LOCAL enable_indexscan = off` : `SELECT set_config('hnsw.ef_search', '${DEPTH}', true)`);
      const { rows } = await db.query(`SELECT id FROM document_chunks ORDER BY embedding <=> $1::vector LIMIT ${DEPTH}`, [vector]);
      await db.query('COMMIT');
      return rows.map((row: { id: string }) => row.id);
    };
    const raw: number[] = [];
    let recalled = 0;
    const vectors = questions.map((q) => pgvector.toSql(embedText(q)) as string);
    for (const vector of vectors.slice(0, 5)) await nearest(vector, false);
    for (let round = 0; round < rounds; round += 1) {
      for (const vector of vectors) {
        const started = performance.now();
        await nearest(vector, false);
        raw.push(performance.now() - started);
      }
    }
    for (const vector of vectors) {
      const approximate = new Set((await nearest(vector, false)).slice(0, 10));
      recalled += (await nearest(vector, true)).slice(0, 10).filter((id) => approximate.has(id)).length;
    }
    const recall = recalled / (vectors.length * 10);
    const rawP95 = percentile(raw, 95);
    return new Row(
      name,
      `p50 ${ms(percentile(product, 50))}, p95 ${ms(productP95)}, recall@10 ${recall.toFixed(3)}`,
      `nearest ${DEPTH} by vector alone: p50 ${ms(percentile(raw, 50))}, p95 ${ms(rawP95)}`,
      productP95 / rawP95,
      'p95 ≤ 1.5×, recall@10 ≥ 0.95',
      productP95 <= 1.5 * rawP95 && recall >= 0.95,
      { product, raw, recall },
    );
  } finally {
    await db.end();
  }
}
