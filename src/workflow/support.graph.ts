// The support workflow as a LangGraph graph: state, nodes and edges in one place.
//
//   START → incident ─(a report of an open incident: the incident takes it over)→ END
//             └→ start → triage → retrieve → plan → policy ─┬─ ask_user  → request_info → [ask_user]  ─→ retrieve
//                                                      ├─ approval  → request_approval → [approval] ─┬→ resolve → END
//                                                      │                                           ├→ deny → END
//                                                      │                       (the approval expired) └→ escalate → END
//                                                      ├─ resolve → END
//                                                      └─ escalate → END
//   [x] = interrupt(): the run pauses there until POST /hil resumes it.
//
// Nodes that change the ticket do so through TicketsService (transition table, event row, one
// transaction). A resumed node re-runs from its start, so the nodes that interrupt do nothing else; the
// status change before each interrupt lives in its own node and is idempotent.
//
// The nodes read the ticket from the run segment's context (SegmentContext), not from the database: it is
// read once when a segment starts and replaced by what each of the segment's writes returns.
import { Annotation, END, interrupt, LangGraphRunnableConfig, START, StateGraph } from '@langchain/langgraph';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import type { RetrievedContext } from '../llm/llm.service';
import type { TriageResult } from '../models/triage-model';
import type { TicketAudience } from '../tickets/ticket-audience';
import type { TicketSuggestion } from '../tickets/ticket-suggestion';
import { TicketStatus } from '../tickets/ticket.enums';
import type { TicketDto } from '../tickets/dto/ticket.dto';
import type { TicketChanges } from '../tickets/tickets.service';
import { decide } from './support-policy';
import type { HumanResponse, PendingQuestion, PolicyDecision } from './workflow.types';

/** What the nodes need from the rest of the app. */
export interface SupportGraphDeps {
  /** Reads the ticket when an invocation brings none in its context. */
  ticket(ticketId: string): Promise<TicketDto>;
  /**
   * Writes under the run segment's claim (`fence`, from the invocation's config): a superseded segment's writes
   * are refused. Returns the ticket as written.
   */
  change(step: StepClaim, changes: TicketChanges, note: { step: string; rule?: string }, comment?: string): Promise<TicketDto>;
  triage(ticket: TicketDto): Promise<TriageResult>;
  retrieve(query: string, ticketId: string): Promise<RetrievedContext>;
  plan(ticket: TicketDto, context: RetrievedContext, audience: TicketAudience): Promise<TicketSuggestion>;
  /**
   * Links a report of an outage support already works to its open incident: the ticket as written, or null
   * when it is none. `ticket` is read only if an incident is open (usually none is: no statement then).
   */
  joinOpenIncident(ticket: () => Promise<TicketDto>): Promise<TicketDto | null>;
}

/** Who writes a step: the segment's claim on the run, and the ticket as the segment last read or wrote it. */
export interface StepClaim {
  ticketId: string;
  fence: number;
  known?: TicketDto;
}

/**
 * What one run segment (one invocation) knows besides its checkpointed state: LangGraph's run context, never
 * checkpointed. A run resumed in a later segment starts from a fresh read, since a person may have changed
 * the ticket while the run waited.
 */
// A type, not an interface: LangGraph types a run's context as a record.
export type SegmentContext = {
  ticket?: TicketDto;
};

const last = <T>() => Annotation<T>({ reducer: (_, next) => next, default: () => null as T });

export const SupportState = Annotation.Root({
  ticketId: Annotation<string>,
  findings: last<TriageResult | null>(),
  context: last<RetrievedContext | null>(),
  draft: last<TicketSuggestion | null>(),
  decision: last<PolicyDecision | null>(),
  pending: last<PendingQuestion | null>(),
  responses: Annotation<HumanResponse[]>({ reducer: (all, added) => all.concat(added), default: () => [] }),
  /** Set when an open incident took the new ticket over: the assistant plans nothing for it. */
  absorbed: last<boolean | null>(),
  /** Set when support closed the ticket by hand while the run waited: the run ends there. */
  closed: last<{ status: string; actor_id: string | null; at: string } | null>(),
});

export type SupportStateValues = typeof SupportState.State;
type Update = typeof SupportState.Update;
type DropFirst<T extends unknown[]> = T extends [unknown, ...infer Rest] ? Rest : never;

export function buildSupportGraph(deps: SupportGraphDeps, checkpointer: BaseCheckpointSaver) {
  const segmentOf = (config: LangGraphRunnableConfig): SegmentContext | undefined => config.context as SegmentContext | undefined;
  /** The ticket as this segment last read or wrote it; read once if the invocation brought none. */
  const ticketOf = async (config: LangGraphRunnableConfig, ticketId: string): Promise<TicketDto> => {
    const segment = segmentOf(config);
    if (segment?.ticket) return segment.ticket;
    const ticket = await deps.ticket(ticketId);
    if (segment) segment.ticket = ticket;
    return ticket;
  };
  /** Writes only while the run is still wanted: a timed-out run must not change the ticket after its error. */
  const change = async (config: LangGraphRunnableConfig, ticketId: string, ...args: DropFirst<Parameters<SupportGraphDeps['change']>>) => {
    config.signal?.throwIfAborted();
    const segment = segmentOf(config);
    const written = await deps.change({ ticketId, fence: Number(config.configurable?.fence), known: segment?.ticket }, ...args);
    if (segment) segment.ticket = written;
  };
  const answers = (state: SupportStateValues) => state.responses.filter((response) => response.kind === 'answer');
  const withAnswers = (ticket: TicketDto, state: SupportStateValues) =>
    [ticket.description, ...answers(state).map((response) => response.answer ?? '')].filter(Boolean).join('\n');

  return new StateGraph(SupportState)
    .addNode('incident', async (state, config): Promise<Update> => {
      const absorbed = await deps.joinOpenIncident(() => ticketOf(config, state.ticketId));
      const segment = segmentOf(config);
      if (absorbed && segment) segment.ticket = absorbed;
      return { absorbed: absorbed !== null };
    })
    .addNode('start', async (state, config) => {
      await change(config, state.ticketId, { status: TicketStatus.InProgress }, { step: 'start' });
      return {};
    })
    .addNode('triage', async (state, config): Promise<Update> => {
      const ticket = await ticketOf(config, state.ticketId);
      const triage = await deps.triage(ticket);
      if (triage.priority !== ticket.priority || triage.category !== ticket.category) {
        await change(config, state.ticketId, { priority: triage.priority as TicketDto['priority'], category: triage.category as TicketDto['category'] }, { step: 'triage' });
      }
      return { findings: triage };
    })
    .addNode('retrieve', async (state, config): Promise<Update> => {
      const ticket = await ticketOf(config, state.ticketId);
      return { context: await deps.retrieve(`${ticket.title}\n${withAnswers(ticket, state)}`, state.ticketId) };
    })
    .addNode('plan', async (state, config): Promise<Update> => {
      const ticket = await ticketOf(config, state.ticketId);
      // The requester reads the plan (GET /workflow, the auto-resolution, the escalation note): it is written for them.
      return { draft: await deps.plan({ ...ticket, description: withAnswers(ticket, state) }, state.context!, 'requester') };
    })
    .addNode('policy', async (state, config): Promise<Update> => {
      const ticket = await ticketOf(config, state.ticketId);
      const decision = decide({
        requestType: ticket.request_type,
        priority: ticket.priority,
        privileged: state.findings?.privileged ?? false,
        missing: state.findings?.missing ?? [],
        answers: answers(state).length,
        confidence: state.draft?.confidence ?? 0,
        citations: state.draft?.citations.length ?? 0,
      });
      return { decision };
    })
    .addNode('request_info', async (state, config): Promise<Update> => {
      const question = questionFor(state.findings?.missing ?? []);
      const ticket = await ticketOf(config, state.ticketId);
      // Idempotent: if this node re-runs after a crash, the question is not asked twice.
      if (ticket.status !== TicketStatus.WaitingForUser) {
        await change(
          config,
          state.ticketId,
          // The question itself is in the conversation: the summary says what the ticket waits for, once.
          { status: TicketStatus.WaitingForUser, decision: 'needs_info', planSummary: 'Waiting for your answer to our question.' },
          { step: 'request_info', rule: state.decision!.rule },
          question,
        );
      }
      return { pending: { kind: 'question', question, rule: state.decision!.rule } };
    })
    .addNode('ask_user', waitForPerson)
    .addNode('request_approval', async (state, config): Promise<Update> => {
      const ticket = await ticketOf(config, state.ticketId);
      const planSummary = approvalPlan(ticket, state);
      await change(
        config,
        state.ticketId,
        { status: TicketStatus.WaitingForApproval, decision: 'pending_approval', planSummary },
        { step: 'request_approval', rule: state.decision!.rule },
      );
      return { pending: { kind: 'approval', question: `Approve this plan? ${planSummary}`, rule: state.decision!.rule } };
    })
    .addNode('approval', waitForPerson)
    .addNode('resolve', async (state, config) => {
      const ticket = await ticketOf(config, state.ticketId);
      const approval = decidingApproval(state);
      const planSummary = approval ? ticket.plan_summary : state.draft!.summary;
      // An approval tells who approved, what they said and what happens next — no knowledge-base text.
      const resolution = approval
        ? `${decidedBy('Approved', approval)}${said(approval)}. What happens next: ${nextAfterApproval(ticket)}`
        : [state.draft!.summary, ...state.draft!.steps.map((step, index) => `${index + 1}. ${step}`)].join('\n');
      await change(
        config,
        state.ticketId,
        { status: TicketStatus.Resolved, decision: approval ? 'approved' : 'auto_resolved', planSummary, resolution },
        { step: 'resolve', rule: state.decision!.rule },
      );
      return {};
    })
    .addNode('deny', async (state, config) => {
      const denial = decidingApproval(state)!;
      await change(
        config,
        state.ticketId,
        { status: TicketStatus.Denied, decision: 'denied', resolution: `${decidedBy('Denied', denial)}${said(denial)}.` },
        { step: 'deny', rule: state.decision!.rule },
      );
      return {};
    })
    .addNode('escalate', async (state, config) => {
      const approval = decidingApproval(state);
      const expired = approval?.expiry === 'escalate' ? approval : undefined;
      await change(
        config,
        state.ticketId,
        {
          status: TicketStatus.Escalated,
          decision: 'escalated',
          // Whoever took the ticket keeps it (support asked the requester, the answer came back to the queue);
          // an approval nobody decided in time goes back to the shared queue, which is every escalated
          // ticket nobody has taken.
          ...(expired ? { assigneeId: null } : {}),
          // Plain words for the requester; the rule that fired is on the event, for staff.
          planSummary: expired
            ? 'Nobody decided on the approval in time, so a support engineer will take it from here.'
            : 'I could not find a how-to that answers this; a support engineer will take it from here.',
        },
        { step: 'escalate', rule: expired ? 'approval_expired' : state.decision!.rule },
      );
      return {};
    })
    .addEdge(START, 'incident')
    .addConditionalEdges('incident', (state) => (state.absorbed ? END : 'start'), ['start', END])
    .addEdge('start', 'triage')
    .addEdge('triage', 'retrieve')
    .addEdge('retrieve', 'plan')
    .addEdge('plan', 'policy')
    .addConditionalEdges('policy', (state) => ROUTE[state.decision!.outcome], ['request_info', 'request_approval', 'resolve', 'escalate'])
    .addEdge('request_info', 'ask_user')
    .addConditionalEdges('ask_user', (state) => (state.closed ? END : 'retrieve'), ['retrieve', END])
    .addEdge('request_approval', 'approval')
    .addConditionalEdges(
      'approval',
      (state) => (state.closed ? END : state.responses.at(-1)?.expiry === 'escalate' ? 'escalate' : state.responses.at(-1)?.approval ? 'resolve' : 'deny'),
      ['resolve', 'deny', 'escalate', END],
    )
    .addEdge('resolve', END)
    .addEdge('deny', END)
    .addEdge('escalate', END)
    .compile({ checkpointer, name: 'support' });
}

export type SupportGraph = ReturnType<typeof buildSupportGraph>;

/** The nodes that pause: they only ask (interrupt) and record the answer, so re-running them is harmless. */
function waitForPerson(state: SupportStateValues): Update {
  return { responses: [interrupt<PendingQuestion, HumanResponse>(state.pending!)], pending: null };
}

const ROUTE = { ask_user: 'request_info', approval: 'request_approval', resolve: 'resolve', escalate: 'escalate' } as const;

function approvalPlan(ticket: TicketDto, state: SupportStateValues): string {
  if (state.decision!.rule === 'critical_priority') return `Handle this critical request (“${ticket.title}”) as a priority once approved.`;
  const what = ticket.request_type === 'software_access' ? 'software access' : 'account access';
  return `Grant ${what} as requested (“${ticket.title}”) once approved${ticket.business_justification ? `; justification: ${ticket.business_justification}` : ''}.`;
}

/** "Approved by Sam Support", or — when nobody decided in time — what the expiry did. */
function decidedBy(verb: string, response: HumanResponse): string {
  if (response.expiry) return `${verb} automatically: nobody decided in time`;
  return `${verb} by ${response.responder_name ?? response.responder_employee_id}`;
}

/** What the approver said, quoted: their comment (or answer). */
function said(response: HumanResponse): string {
  // An expiry's note is for staff; "nobody decided in time" says it to the requester.
  if (response.expiry) return '';
  const words = (response.comments ?? response.answer)?.trim();
  return words ? `: “${words.replace(/[.\s]+$/, '')}”` : '';
}

/** What an approved request leads to, in the requester's words. */
function nextAfterApproval(ticket: TicketDto): string {
  if (ticket.request_type === 'software_access') return `support grants the software access you asked for (“${ticket.title}”) and tells you here when it is ready.`;
  if (ticket.request_type === 'account_access') return `support grants the account access you asked for (“${ticket.title}”) and tells you here when it is ready.`;
  return `support carries out your request (“${ticket.title}”) and tells you here when it is done.`;
}

/**
 * The assistant's question to the requester: one sentence of what is missing and why it is asked. The
 * triage's findings are phrases ("what happens, since when…"); a model's may be whole sentences.
 */
export function questionFor(missing: string[]): string {
  const items = missing.map((item) => item.trim().replace(/[.?!]+$/, '')).filter(Boolean);
  if (items.length === 0) return 'Could you tell us a little more about what you need, so that we can help?';
  const listed = items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
  return `Could you tell us ${listed}, so that we can go on with your request?`;
}

/**
 * The approval this pass of the run was routed by: only when the policy asked for one. A run support let
 * try again after an expiry keeps that response in its state, and must not resolve or escalate by it.
 */
function decidingApproval(state: SupportStateValues): HumanResponse | undefined {
  if (state.decision?.outcome !== 'approval') return undefined;
  return [...state.responses].reverse().find((response) => response.kind === 'approval');
}
