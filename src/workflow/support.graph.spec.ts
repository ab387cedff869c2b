import { Command, MemorySaver } from '@langchain/langgraph';
import type { TicketDto } from '../tickets/dto/ticket.dto';
import type { TicketChanges } from '../tickets/tickets.service';
import { buildSupportGraph, questionFor, SegmentContext, SupportGraphDeps } from './support.graph';
import type { HumanResponse } from './workflow.types';

/** The graph on its own, with an in-memory checkpointer and stand-ins for the app's services. */
function harness(ticket: Partial<TicketDto>, overrides: Partial<SupportGraphDeps> = {}) {
  const current = { ticket_id: 't1', title: 'Access', description: 'Need access', priority: 'medium', category: 'access', plan_summary: null, business_justification: null, ...ticket } as TicketDto;
  const changes: TicketChanges[] = [];
  const deps: SupportGraphDeps = {
    ticket: async () => current,
    change: async (_claim, changed) => {
      changes.push(changed);
      Object.assign(current, { ...(changed.planSummary !== undefined ? { plan_summary: changed.planSummary } : {}), ...(changed.status ? { status: changed.status } : {}) });
      return { ...current };
    },
    triage: async () => ({ priority: current.priority, category: current.category, privileged: false, missing: [] }) as never,
    retrieve: async () => ({ chunks: [] }) as never,
    joinOpenIncident: async () => null,
    plan: async () => ({ summary: 'Reset it from the portal', steps: ['Open the portal'], confidence: 0.9, citations: [{ document_id: 'd1' }], provider: 'offline' }) as never,
    ...overrides,
  };
  const graph = buildSupportGraph(deps, new MemorySaver());
  return { graph, current, changes, thread: { configurable: { thread_id: 't1', fence: 1 } } };
}

const expiry = (pendingId: string, action: HumanResponse['expiry']): HumanResponse => ({
  id: 'r1', pending_id: pendingId, source: 'workflow', kind: 'approval', answer: null, approval: action === 'approve' ? true : action === 'deny' ? false : null,
  comments: 'no decision within the approval’s due time', responder_id: null, responder_employee_id: null, responded_at: '2026-12-04T10:00:00Z', expiry: action,
});

describe('support graph', () => {
  it('escalates an expired approval with its reason, and once retried on a request it may resolve, resolves it as the assistant — not as an approval', async () => {
    const { graph, current, changes, thread } = harness({ request_type: 'software_access' } as Partial<TicketDto>);
    await graph.invoke({ ticketId: 't1' }, thread);
    const [waiting] = (await graph.getState(thread)).tasks.flatMap((task) => task.interrupts);
    await graph.invoke(new Command({ resume: { [waiting.id!]: expiry(waiting.id!, 'escalate') } }), thread);
    expect(changes.at(-1)).toMatchObject({ status: 'escalated' });
    expect(changes.at(-1)!.planSummary).toBe('Nobody decided on the approval in time, so a support engineer will take it from here.');

    // Support retries once the request is one the assistant may answer on its own.
    current.request_type = 'other' as TicketDto['request_type'];
    await graph.updateState(thread, { decision: null, closed: null }, 'triage');
    await graph.invoke(null, thread);
    expect(changes.at(-1)).toMatchObject({ status: 'resolved', decision: 'auto_resolved' });
    expect(changes.at(-1)!.resolution).not.toContain('Approved');
  });
});

describe('support graph, a report of an open incident', () => {
  it('ends as the incident takes the ticket over: no triage, no plan, no change of its own', async () => {
    const triage = jest.fn(async () => ({ priority: 'medium', category: 'network', privileged: false, missing: [] }) as never);
    const { graph, changes, thread } = harness({ request_type: 'network' } as Partial<TicketDto>, {
      triage,
      joinOpenIncident: async (read) => ({ ...(await read()), status: 'escalated', decision: 'incident' }) as TicketDto,
    });
    const result = await graph.invoke({ ticketId: 't1' }, thread);
    expect(result.absorbed).toBe(true);
    expect(triage).not.toHaveBeenCalled();
    expect(changes).toEqual([]);
    expect((await graph.getState(thread)).next).toEqual([]);
  });

  it('runs as usual when no open incident takes it', async () => {
    const { graph, changes, thread } = harness({ request_type: 'network' } as Partial<TicketDto>);
    await graph.invoke({ ticketId: 't1' }, thread);
    expect(changes[0]).toMatchObject({ status: 'in_progress' });
  });
});

describe('what the requester reads', () => {
  const decision = (pendingId: string, approval: boolean, comments: string | null): HumanResponse => ({
    id: 'r2', pending_id: pendingId, source: 'workflow', kind: 'approval', answer: null, approval, comments, responder_id: 'u1',
    responder_employee_id: 'EMP100', responder_name: 'Sam Support', responded_at: '2026-12-04T10:00:00Z',
  });
  async function decided(approval: boolean, comments: string | null) {
    const { graph, changes, thread } = harness({ request_type: 'software_access', title: 'Admin access to the reporting database' } as Partial<TicketDto>);
    await graph.invoke({ ticketId: 't1' }, thread);
    const [waiting] = (await graph.getState(thread)).tasks.flatMap((task) => task.interrupts);
    await graph.invoke(new Command({ resume: { [waiting.id!]: decision(waiting.id!, approval, comments) } }), thread);
    return changes.at(-1)!;
  }

  it('an approval: who approved, what they said and what happens next — no knowledge-base text', async () => {
    const resolved = await decided(true, 'Granted for 30 days.');
    expect(resolved.resolution).toBe(
      'Approved by Sam Support: “Granted for 30 days”. What happens next: support grants the software access you asked for (“Admin access to the reporting database”) and tells you here when it is ready.',
    );
    expect(resolved.resolution).not.toContain('Reset it from the portal');
  });

  it('a denial: who denied it and why', async () => {
    await expect(decided(false, 'Contractors get read-only access')).resolves.toMatchObject({
      status: 'denied',
      resolution: 'Denied by Sam Support: “Contractors get read-only access”.',
    });
  });

  it('an escalation: support takes over, in plain words, with no rule id, step name or confidence', async () => {
    const noAnswer = { summary: 'I could not find a how-to for this; a support engineer will take it.', steps: [], confidence: 0.2, citations: [], provider: 'offline' };
    const { graph, changes, thread } = harness({ request_type: 'other' } as Partial<TicketDto>, { plan: async () => noAnswer as never });
    await graph.invoke({ ticketId: 't1' }, thread);
    expect(changes.at(-1)).toMatchObject({ status: 'escalated', planSummary: 'I could not find a how-to that answers this; a support engineer will take it from here.' });
    expect(changes.at(-1)!.planSummary).not.toMatch(/low_confidence|confidence|escalate\b|step/i);
  });

  it('the assistant’s question: one sentence of what is missing and why it is asked', () => {
    expect(questionFor(['what happens, since when, and any error message you see'])).toBe(
      'Could you tell us what happens, since when, and any error message you see, so that we can go on with your request?',
    );
    expect(questionFor(['what happens', 'why you need this access (the business justification).'])).toBe(
      'Could you tell us what happens and why you need this access (the business justification), so that we can go on with your request?',
    );
  });
});

describe('support graph, within a run segment', () => {
  it('reads no ticket when the segment brings one, and its later steps see the ticket its writes returned', async () => {
    const ticket = { ticket_id: 't1', title: 'CRM access', description: 'Need access', status: 'pending', priority: 'medium', category: 'access', request_type: 'software_access' } as TicketDto;
    const read = jest.fn(async () => ticket);
    const triaged: string[] = [];
    const graph = buildSupportGraph(
      {
        ticket: read,
        change: async (_claim, changed) => ({ ...segment.ticket!, ...(changed.status ? { status: changed.status } : {}) }),
        triage: async (current) => {
          triaged.push(current.status);
          return { priority: current.priority, category: current.category, privileged: false, missing: [] } as never;
        },
        retrieve: async () => ({ chunks: [] }) as never,
        plan: async () => ({ summary: 'Grant it', steps: [], confidence: 0.9, citations: [], provider: 'offline' }) as never,
        joinOpenIncident: async () => null,
      },
      new MemorySaver(),
    );
    const segment: SegmentContext = { ticket };
    await graph.invoke({ ticketId: 't1' }, { configurable: { thread_id: 't1', fence: 1 }, context: segment });
    expect(read).not.toHaveBeenCalled();
    expect(triaged).toEqual(['in_progress']);
    expect(segment.ticket?.status).toBe('waiting_for_approval');
  });
});
