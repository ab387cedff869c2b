// The ticket list must stay on its indexes as tickets pile up: the planner's own account (EXPLAIN) of the
// statement the list runs, over enough tickets that reading all of them costs more than using an index.
// The timing at 100k tickets is measured by `npm run bench`; this suite says why it holds.
import { TicketsRepository, TicketFilters } from '../src/tickets/tickets.repository';
import { TicketStatus } from '../src/tickets/ticket.enums';
import { signInAdmin } from './support/http';
import { bootTestApp, TestApp, WITHOUT_WORKFLOW } from './support/test-app';

const TICKETS = 20_000;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

describe('Ticket list query plans (e2e)', () => {
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
  });
  afterAll(() => testApp.close());

  async function planOf(filters: TicketFilters): Promise<PlanNode[]> {
    const query = testApp.app.get(TicketsRepository).pageQuery(filters, { sort: '-created_at', limit: 20, offset: 0 });
    const [sql, parameters] = query.getQueryAndParameters();
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
});
