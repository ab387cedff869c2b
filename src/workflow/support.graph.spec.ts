import { Command, MemorySaver } from '@langchain/langgraph';
import type { TicketDto } from '../tickets/dto/ticket.dto';
import type { TicketChanges } from '../tickets/tickets.service';
import { buildSupportGraph, SegmentContext, SupportGraphDeps } from './support.graph';
import type { HumanResponse } from './workflow.types';

/** The graph on its own, with an in-memory checkpointer and stand-ins for the app's services. */
function harness(ticket: Partial<TicketDto>) {
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
    plan: async () => ({ summary: 'Reset it from the portal', steps: ['Open the portal'], confidence: 0.9, citations: [{ document_id: 'd1' }], provider: 'offline' }) as never,
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
    expect(changes.at(-1)!.planSummary).toContain('Escalated to the support queue: no decision within');

    // Support retries once the request is one the assistant may answer on its own.
    current.request_type = 'other' as TicketDto['request_type'];
    await graph.updateState(thread, { decision: null, closed: null }, 'triage');
    await graph.invoke(null, thread);
    expect(changes.at(-1)).toMatchObject({ status: 'resolved', decision: 'auto_resolved' });
    expect(changes.at(-1)!.resolution).not.toContain('Approved');
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
