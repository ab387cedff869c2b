// The baseline `npm run bench` compares the product with: a hand-written node:http + pg server doing the
// same work per request and nothing else — HS256 verification of the product's own access token, one
// query for the user and the session, and then for a new ticket the ticket and its `created` event in
// one transaction, for a list the same page query. No framework, validation, logging or events: what
// the work costs at the least, on the same database. Started by the bench as a child process: on the
// PostgreSQL database DATABASE_URL names, else on a copy of the app's embedded database in RAW_DATA_DIR,
// opened as the app opens it (PGlite behind its socket server, one connection).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import pg from 'pg';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';

const secret = process.env.JWT_SECRET_KEY!;
let pool: pg.Pool;

async function openPool(): Promise<pg.Pool> {
  if (process.env.DATABASE_URL) return new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.RAW_POOL_SIZE ?? 10) });
  // Never stopped: the bench throws the copy away with the process.
  const address = await new EmbeddedPostgres().start(process.env.RAW_DATA_DIR!);
  // PGlite runs one session at a time, as in the app (database-pool.ts): a pool of one.
  return new pg.Pool({ host: address.host, port: address.port, user: address.username, database: address.database, max: 1 });
}

const COLUMNS = `id, title, description, request_type, category, priority, urgency, business_justification, desired_completion_date,
  status, decision, plan_summary, resolution, suggestion, next_action, requester_id, employee_id, assignee_id, created_at, updated_at`;

interface Claims {
  sub: string;
  sid: string;
  typ: string;
  exp: number;
}

function verify(header: string | undefined): Claims | null {
  const token = header?.startsWith('Bearer ') ? header.slice(7) : '';
  const [head, payload, signature] = token.split('.');
  if (!signature) return null;
  const expected = createHmac('sha256', secret).update(`${head}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if ((JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg: string }).alg !== 'HS256') return null;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Claims;
  return claims.typ === 'access' && claims.exp > Date.now() / 1000 ? claims : null;
}

async function signedIn(request: IncomingMessage): Promise<{ id: string; employee_id: string } | null> {
  const claims = verify(request.headers.authorization);
  if (!claims) return null;
  const { rows } = await pool.query(
    `SELECT users.id, users.email, users.full_name, users.employee_id, users.role FROM users
      WHERE users.id = $1 AND users.is_active
        AND EXISTS (SELECT 1 FROM refresh_tokens token
                     WHERE token.family_id = $2 AND token.user_id = users.id AND token.revoked_at IS NULL AND token.expires_at > now())`,
    [claims.sub, claims.sid],
  );
  return rows[0] ?? null;
}

async function createTicket(user: { id: string; employee_id: string }, body: Record<string, string>): Promise<unknown> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      `INSERT INTO tickets (title, description, request_type, category, priority, urgency, next_action, requester_id, employee_id)
       VALUES ($1, $2, $3, $4, $5, $6, 'workflow_starting', $7, $8) RETURNING ${COLUMNS}`,
      [body.title, body.description, body.request_type, 'hardware', body.priority ?? 'medium', body.urgency ?? 'normal', user.id, user.employee_id],
    );
    const ticket = rows[0];
    // The product's own event INSERT (TicketsRepository.appendEvent): the writer's transaction id is taken
    // before the event id is drawn, which the event stream's readers rely on. The payload is its snapshot.
    await client.query(
      `INSERT INTO ticket_events (ticket_id, type, actor_id, staff_only, payload)
       SELECT $1, 'workflow_update', $2, false, $3::jsonb FROM (SELECT pg_current_xact_id() AS xid OFFSET 0) AS writer WHERE writer.xid IS NOT NULL
       RETURNING id, ticket_id, type, actor_id, staff_only, payload, created_at`,
      [
        ticket.id,
        user.id,
        JSON.stringify({
          status: ticket.status,
          decision: ticket.decision,
          plan_summary: ticket.plan_summary,
          next_action: ticket.next_action,
          priority: ticket.priority,
          category: ticket.category,
          assignee_id: ticket.assignee_id,
          change: 'created',
        }),
      ],
    );
    await client.query('COMMIT');
    return ticket;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

async function listTickets(search: URLSearchParams): Promise<unknown> {
  const where: string[] = [];
  const values: unknown[] = [];
  if (search.get('status')) where.push(`status = $${values.push(search.get('status'))}`);
  const q = search.get('q');
  if (q) {
    const text = values.push(q);
    const like = values.push(`%${q.replace(/[\\%_]/g, '\\$&')}%`);
    where.push(`(search_vector @@ websearch_to_tsquery('english', $${text}) OR title ILIKE $${like})`);
  }
  const limit = values.push(Number(search.get('limit') ?? 20));
  const { rows } = await pool.query(
    `SELECT ${COLUMNS} FROM tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT $${limit}`,
    values,
  );
  return { tickets: rows, count: rows.length };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve(body)).on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) }).end(json);
}

async function main(): Promise<void> {
  pool = await openPool();
  createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const handle = async () => {
      if (url.pathname === '/health') return send(response, 200, { status: 'ok' });
      if (url.pathname !== '/api/v1/tickets') return send(response, 404, { detail: 'Not found' });
      const user = await signedIn(request);
      if (!user) return send(response, 401, { detail: 'Unauthorized' });
      if (request.method === 'POST') return send(response, 201, await createTicket(user, JSON.parse(await readBody(request)) as Record<string, string>));
      return send(response, 200, await listTickets(url.searchParams));
    };
    handle().catch((error: unknown) => send(response, 500, { detail: String(error) }));
  }).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
}

main().catch((error: unknown) => {
  process.stderr.write(`raw-server failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
