// Lists and searches must stay on their indexes as data piles up: the planner's own account (EXPLAIN) of
// the statements the app runs, over enough rows that reading all of them costs more than using an index.
// The timings at 100k rows are measured by `npm run bench`; this suite says why they hold.
import { DataSource } from 'typeorm';
import { HYBRID_SEARCH } from '../src/knowledge/knowledge-search.repository';
import { TicketsRepository, TicketFilters } from '../src/tickets/tickets.repository';
import { TicketStatus } from '../src/tickets/ticket.enums';
import { signInAdmin } from './support/http';
import { bootTestApp, TestApp, WITHOUT_WORKFLOW } from './support/test-app';

const TICKETS = 20_000;
const CHUNKS = 300;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

describe('Query plans of lists and searches (e2e)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await bootTestApp(WITHOUT_WORKFLOW);
    const admin = await signInAdmin(testApp.url);
    // As a help desk's tickets are: nearly all of them closed long ago, a few waiting on somebody.
    const statuses = [...Array(96).fill(TicketStatus.Resolved), ...Object.values(TicketStatus).filter((status) => status !== TicketStatus.Resolved)];
    await testApp.sql(
      `INSERT INTO tickets (title, description, request_type, category, next_action, requester_id, employee_id, status, created_at)
       SELECT 'Laptop ' || n || ' will not boot', 'Screen stays black after the update, ticket ' || n, 'hardware', 'hardware', 'none',
              $1, 'EMP-PLAN',
              ($2::text[])[1 + n % array_length($2::text[], 1)]::ticket_status, now() - n * interval '1 minute'
       FROM generate_series(1, ${TICKETS}) AS n`,
      [admin.id, statuses],
    );
    await testApp.sql('ANALYZE tickets');
    const [document] = await testApp.sql<{ id: string }>(
      `INSERT INTO documents (title, filename, mime_type, sha256, size_bytes, characters, chunk_count, embedding_model, uploader_id, ready)
       VALUES ('Plans', 'plans.md', 'text/markdown', repeat('a', 64), 1, 1, ${CHUNKS}, 'offline:hashed-ngrams-v1', $1, true) RETURNING id`,
      [admin.id],
    );
    await testApp.sql(
      `INSERT INTO document_chunks (document_id, position, text, context, lead, embedding)
       SELECT $1, n, 'Restart the VPN client, chunk ' || n, 'Plans', '',
              (SELECT array_agg(sin(n * 7 + dimension)::real) FROM generate_series(1, 768) AS dimension)::vector
       FROM generate_series(1, ${CHUNKS}) AS n`,
      [document.id],
    );
    await testApp.sql('ANALYZE document_chunks');
  });
  afterAll(() => testApp.close());

  async function planOf(filters: TicketFilters): Promise<PlanNode[]> {
    const query = testApp.app.get(TicketsRepository).pageQuery(filters, { sort: '-created_at', limit: 20, offset: 0 });
    return explain(...query.getQueryAndParameters());
  }

  async function explain(sql: string, parameters: unknown[]): Promise<PlanNode[]> {
    const [row] = await testApp.sql<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${sql}`, parameters);
    return nodes(row['QUERY PLAN'][0].Plan);
  }

  const scansOfTickets = (plan: PlanNode[]) => plan.filter((node) => node['Relation Name'] === 'tickets').map((node) => node['Node Type']);
  const indexesUsed = (plan: PlanNode[]) => plan.map((node) => node['Index Name']).filter(Boolean);

  it('finds q= words through the full-text and the title trigram indexes, never by reading every ticket', async () => {
    const plan = await planOf({ text: 'zzqx' });
    expect(scansOfTickets(plan)).not.toContain('Seq Scan');
    expect(indexesUsed(plan)).toEqual(expect.arrayContaining(['IDX_tickets_search', 'IDX_tickets_title_trgm']));
  });

  it('reads a status filter newest first from the status index, without sorting the matches', async () => {
    const plan = await planOf({ status: TicketStatus.WaitingForApproval });
    expect(scansOfTickets(plan)).not.toContain('Seq Scan');
    expect(indexesUsed(plan)).toContain('IDX_tickets_status_created');
    expect(plan.map((node) => node['Node Type'])).not.toContain('Sort');
  });

  /**
   * At a few thousand chunks the planner rightly prefers reading them all; what must hold is that the
   * statement is one the vector index can serve (ORDER BY the distance operator alone, then LIMIT): with
   * sequential scans priced out of reach, it must take the index rather than have no other way.
   */
  it('asks for the nearest chunks in a form the vector index serves', async () => {
    const query = `[${Array.from({ length: 768 }, (_, dimension) => Math.cos(dimension).toFixed(4)).join(',')}]`;
    const plan = await testApp.app.get(DataSource).transaction(async (manager) => {
      await manager.query('SET LOCAL enable_seqscan = off');
      const [row] = await manager.query(`EXPLAIN (FORMAT JSON) ${HYBRID_SEARCH}`, [query, 'vpn', 100, 5, 100]);
      return nodes((row as { 'QUERY PLAN': [{ Plan: PlanNode }] })['QUERY PLAN'][0].Plan);
    });
    // The index's order is the statement's: the limit reads straight from it. A tie-break column in the
    // ORDER BY puts a sort in between, which the planner prices as an exact scan whenever it may choose.
    const limitOverIndex = plan.find((node) => node['Node Type'] === 'Limit' && node.Plans?.[0]?.['Index Name'] === 'IDX_document_chunks_embedding');
    expect(limitOverIndex).toBeDefined();
  });
});
