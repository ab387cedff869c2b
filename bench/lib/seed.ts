// Bulk data for the scenarios, written straight into the app's database (tickets by the hundred thousand
// would take minutes through the API). Deterministic: the same run seeds the same rows.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { seededRandom } from '../../src/common/seeded-random';
import { embedText } from '../../src/models/offline-embeddings';

const PROBLEMS = [
  'VPN disconnects every few minutes', 'Laptop will not boot after the update', 'Printer on the third floor jams',
  'Cannot log in to the expense portal', 'Outlook keeps asking for my password', 'Need access to the finance share',
  'Monitor flickers when docked', 'Wi-Fi drops in meeting room B', 'MFA codes rejected on my phone',
  'Request a licence for the design suite', 'Keyboard keys stick', 'Password expired while travelling',
  'Shared calendar does not sync', 'Teams calls have no audio', 'Disk almost full on my workstation',
  'Cannot reach the build server over SSH', 'New starter needs an account', 'Badge reader refuses my card',
  'Kerberos ticket errors on the file server', 'Docking station does not charge the laptop',
];
const DETAILS = [
  'It started this morning.', 'Colleagues in my team have the same problem.', 'I already restarted twice.',
  'It is blocking the quarterly report.', 'The error code is 0x80070005.', 'It works from home but not in the office.',
];

/** A status for ticket n, as a help desk's are: nearly all closed, some waiting on somebody, a few new. */
const STATUS_SQL = `(ARRAY['resolved','resolved','resolved','resolved','resolved','resolved','resolved','resolved','resolved','resolved',
  'resolved','resolved','resolved','denied','escalated','waiting_for_approval','waiting_for_user','in_progress','pending','resolved'])[1 + n % 20]::ticket_status`;

export async function seedTickets(db: pg.Client, requester: { id: string; employeeId: string }, count: number): Promise<void> {
  for (let start = 0; start < count; start += 20_000) {
    await db.query(
      `INSERT INTO tickets (title, description, request_type, category, status, next_action, requester_id, employee_id, created_at, updated_at)
       SELECT ($1::text[])[1 + n % array_length($1::text[], 1)] || ' (' || n || ')',
              ($1::text[])[1 + (n / 7) % array_length($1::text[], 1)] || '. ' || ($2::text[])[1 + n % array_length($2::text[], 1)],
              'hardware', 'hardware', ${STATUS_SQL}, 'none', $3, $4,
              now() - n * interval '37 seconds', now() - n * interval '37 seconds'
       FROM generate_series($5::int, $6::int) AS n`,
      [PROBLEMS, DETAILS, requester.id, requester.employeeId, start + 1, Math.min(count, start + 20_000)],
    );
  }
  await db.query('ANALYZE tickets');
}

/**
 * `count` chunks of real IT documentation (the shared kb-sample's paragraphs, recombined), in documents
 * of 50 chunks, embedded by the offline provider as ingestion does. The HNSW index (on a server) is
 * dropped for the load and built once after it, as a bulk load should.
 */
export async function seedChunks(db: pg.Client, uploaderId: string, count: number, kbDocs: string): Promise<string[]> {
  const paragraphs = readdirSync(kbDocs)
    .filter((name) => /\.(md|txt)$/.test(name))
    .flatMap((name) => readFileSync(join(kbDocs, name), 'utf8').split(/\n\s*\n/))
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter((paragraph) => paragraph.length > 80);
  const random = seededRandom(42);
  const [{ has_index: hasIndex }] = (await db.query(`SELECT to_regclass('"IDX_document_chunks_embedding"') IS NOT NULL AS has_index`)).rows;
  if (hasIndex) await db.query(`DROP INDEX "IDX_document_chunks_embedding"`);
  const perDocument = 50;
  for (let doc = 0; doc * perDocument < count; doc += 1) {
    const { rows } = await db.query(
      `INSERT INTO documents (title, filename, mime_type, sha256, size_bytes, characters, chunk_count, embedding_model, uploader_id, ready)
       VALUES ($1, $2, 'text/markdown', encode(sha256(convert_to($5::text, 'UTF8')), 'hex'), 0, 0, $3, 'offline:hashed-ngrams-v1', $4, true) RETURNING id`,
      [`Bench manual ${doc}`, `bench-${doc}.md`, perDocument, uploaderId, `bench manual ${doc}`],
    );
    const texts = Array.from({ length: Math.min(perDocument, count - doc * perDocument) }, () =>
      Array.from({ length: 2 + Math.floor(random() * 3) }, () => paragraphs[Math.floor(random() * paragraphs.length)]).join('\n\n').slice(0, 1800),
    );
    await db.query(
      `INSERT INTO document_chunks (document_id, position, text, context, lead, embedding)
       SELECT $1, chunk.position - 1, chunk.text, $4, '', chunk.embedding::vector
       FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS chunk (text, embedding, position)`,
      [rows[0].id, texts, texts.map((text) => `[${embedText(`Bench manual ${doc}\n${text}`).join(',')}]`), `Bench manual ${doc}`],
    );
  }
  if (hasIndex) {
    await db.query(`SET maintenance_work_mem = '512MB'`);
    await db.query(`CREATE INDEX "IDX_document_chunks_embedding" ON "document_chunks" USING hnsw ("embedding" vector_cosine_ops)`);
  }
  await db.query('ANALYZE document_chunks');
  return paragraphs;
}

