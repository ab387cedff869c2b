// Drives the support graph for one ticket: runs a segment (from the start, after a crash, or with a
// human response), reads its state for people, and closes or prunes it. Checkpoints live in the app's own
// database (schema `langgraph`), through the same connection pool as everything else.
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Command, INTERRUPT, isInterrupted, StateSnapshot } from '@langchain/langgraph';
import { BatchedPostgresSaver } from './batched-postgres-saver';
import type pg from 'pg';
import { DATABASE_POOL } from '../database/database-pool';
import { LlmService } from '../llm/llm.service';
import type { TicketDto } from '../tickets/dto/ticket.dto';
import { FINAL_STATUSES } from '../tickets/ticket-transitions';
import { TicketStatus } from '../tickets/ticket.enums';
import { OpenIncidents } from '../incidents/open-incidents';
import { TicketsService } from '../tickets/tickets.service';
import { buildSupportGraph, SegmentContext, SupportGraph, SupportStateValues } from './support.graph';
import { Claim, WorkflowCommands } from './workflow.commands';
import type { ClaimedRun } from './workflow.repository';
import { HumanResponse, PendingQuestion, PendingRequest, stepWaitingFor, WorkflowSummary } from './workflow.types';

export type SegmentOutcome = 'paused' | 'finished';

export interface SegmentResult {
  outcome: SegmentOutcome;
  /** What the paused run now waits for. */
  pending: PendingRequest | null;
  summary: WorkflowSummary | null;
  /** The ticket as the segment last read or wrote it; null when it found none. */
  ticket: TicketDto | null;
}

/** One run segment: its claim, its abort signal, and the context its graph steps share (the ticket as last read or written). */
interface Segment {
  claim: Claim;
  signal: AbortSignal;
  context: SegmentContext;
}

/** What an invocation returns: the state's values, and the interrupt it paused at, if it did. */
type SegmentOutput = SupportStateValues & { [INTERRUPT]?: Array<{ id?: string; value?: PendingQuestion }> };

const CHECKPOINT_SCHEMA = 'langgraph';
const RESPONSE_KIND = { answer: 'question', approval: 'approval' } as const;

@Injectable()
export class WorkflowEngine implements OnModuleInit {
  private readonly checkpointer: BatchedPostgresSaver;
  private readonly graph: SupportGraph;

  constructor(
    @Inject(DATABASE_POOL) pool: pg.Pool,
    private readonly ticketsService: TicketsService,
    commands: WorkflowCommands,
    llmService: LlmService,
    openIncidents: OpenIncidents,
  ) {
    // The app's own pool: on the embedded database there is exactly one connection to share.
    this.checkpointer = new BatchedPostgresSaver(pool, CHECKPOINT_SCHEMA);
    this.graph = buildSupportGraph(
      {
        ticket: async (ticketId) => {
          const ticket = await ticketsService.findById(ticketId);
          if (!ticket) throw new Error(`Ticket ${ticketId} no longer exists`);
          return ticket;
        },
        change: (claim, changes, note, comment) => commands.recordStep(claim, changes, note, comment),
        triage: (ticket) => llmService.triage(ticket),
        retrieve: (query, ticketId) => llmService.retrieveContext(query, ticketId),
        plan: (ticket, context, audience) => llmService.composePlan(ticket, context, audience),
        joinOpenIncident: (ticket) => openIncidents.absorb(ticket),
      },
      this.checkpointer,
    );
  }

  /** Creates or migrates the checkpoint tables (LangGraph's own, idempotent migrations). */
  async onModuleInit(): Promise<void> {
    await this.checkpointer.setup();
  }

  /**
   * Runs the ticket's graph, under `claim`, until it pauses for a person or ends. A segment that applies a
   * human decision writes each step's checkpoint before the next step starts (durability "sync"): once
   * applied, the decision is never lost. Other segments have no human input to lose and idempotent steps,
   * so they checkpoint once, when they pause or end ("exit"): after a crash such a segment simply runs again.
   */
  runSegment(claim: ClaimedRun, signal: AbortSignal): Promise<SegmentResult> {
    return this.checkpointer.readingOnce(() => this.runSegmentReadingOnce(claim, signal));
  }

  private async runSegmentReadingOnce(claim: ClaimedRun, signal: AbortSignal): Promise<SegmentResult> {
    const response = claim.resume;
    // Read once per segment, fresh (a person may have changed it while the run waited); the steps pass it on.
    const ticket = await this.ticketsService.findById(claim.ticketId);
    if (!ticket || isClosed(ticket.status)) return { outcome: 'finished', pending: null, summary: null, ticket };
    const segment: Segment = { claim, signal, context: { ticket } };
    const state = await this.graph.getState(threadOf(claim));
    const unapplied = response && !(state.values as SupportStateValues).responses?.some((applied) => applied.id === response.id) ? response : null;
    if (!unapplied && pendingInterrupts(state).length > 0) return segmentResult(pointOf(state), ticket);
    // The invocation's output is where the run now stands: no second read of its checkpoint.
    const output = unapplied ? await this.apply(segment, state, unapplied) : await this.advance(segment, state);
    return segmentResult(pointAfter(output), segment.context.ticket ?? ticket);
  }

  /** The ticket's status if a person closed it (or it failed), else null. */
  async closedStatus(ticketId: string): Promise<TicketStatus | null> {
    const ticket = await this.ticketsService.findById(ticketId);
    return ticket && isClosed(ticket.status) ? ticket.status : null;
  }

  /** Applies a human response: to the interrupt it answers, or — for support's question — as the requester's answer. */
  private async apply(segment: Segment, state: StateSnapshot, response: HumanResponse): Promise<SegmentOutput> {
    const { claim } = segment;
    const config = { ...threadOf(claim), durability: 'sync' as const, signal: segment.signal, context: segment.context };
    if (response.source === 'staff') {
      // The graph had ended (or never ran): the answer re-enters it where the graph's own question returns.
      if (!state.createdAt) return this.graph.invoke({ ticketId: claim.ticketId, responses: [response] }, config);
      await this.graph.updateState(threadOf(claim), { responses: [response], pending: null, closed: null }, 'ask_user');
      return this.graph.invoke(null, config);
    }
    let target = interruptFor(state, response);
    // The pause this response answers was not checkpointed before the process stopped: reach it again.
    if (!target && pendingInterrupts(state).length === 0 && (!state.createdAt || state.next.length > 0)) {
      await this.advance(segment, state);
      target = interruptFor(await this.graph.getState(threadOf(claim)), response);
    }
    if (!target) throw new Error(`The workflow is not waiting for ${response.kind === 'answer' ? 'an answer' : 'an approval'}`);
    return this.graph.invoke(new Command({ resume: { [target.id]: response } }), config);
  }

  /**
   * Runs without human input: from the start, on from the last checkpoint, or — when the graph had ended
   * and support asked it to try again — from retrieval, with what it knows about the ticket so far.
   */
  private async advance(segment: Segment, state: StateSnapshot): Promise<SegmentOutput> {
    const { claim } = segment;
    const config = { ...threadOf(claim), durability: 'exit' as const, signal: segment.signal, context: segment.context };
    if (!state.createdAt) return this.graph.invoke({ ticketId: claim.ticketId }, config);
    if (state.next.length === 0) await this.graph.updateState(threadOf(claim), { decision: null, closed: null }, 'triage');
    return this.graph.invoke(null, config);
  }

  /**
   * Ends a run that waits for a person because the ticket was closed by hand: the pending interrupt is
   * answered by marking the state closed, which routes the graph to its end. Nothing is left to resume.
   */
  async close(ticketId: string, status: string, actorId: string | null): Promise<void> {
    const state = await this.graph.getState(threadOf(ticketId));
    const waitingIn = state.tasks.find((task) => task.interrupts.length > 0)?.name;
    if (!waitingIn) return;
    await this.graph.updateState(threadOf(ticketId), { closed: { status, actor_id: actorId, at: new Date().toISOString() }, pending: null }, waitingIn);
  }

  /** The run as people read it; null when the ticket has no checkpoints (not started, or pruned). */
  async describe(ticketId: string): Promise<WorkflowSummary | null> {
    return summarize(pointOf(await this.graph.getState(threadOf(ticketId))));
  }

  /** Deletes a closed ticket's checkpoints (LangGraph writes dozens of rows per run). */
  deleteCheckpoints(ticketId: string): Promise<void> {
    return this.checkpointer.deleteThread(ticketId);
  }
}

/** LangGraph's thread of a ticket: one per ticket, named by its id; a run segment's claim travels with it. */
function threadOf(target: string | Claim) {
  if (typeof target === 'string') return { configurable: { thread_id: target } };
  return { configurable: { thread_id: target.ticketId, fence: target.fence } };
}

/** Where a run stands: its values, the interrupt it waits at, the node it runs next. */
interface RunPoint {
  values: SupportStateValues;
  waiting?: { id: string; value: PendingQuestion };
  next?: string;
}

/** A checkpointed state; null when the ticket has none. */
function pointOf(state: StateSnapshot): RunPoint | null {
  if (!state.createdAt) return null;
  return { values: state.values as SupportStateValues, waiting: pendingInterrupts(state)[0], next: state.next[0] };
}

/** An invocation ran until it paused (its output then lists the interrupt) or until the graph ended. */
function pointAfter(output: SegmentOutput): RunPoint {
  const waiting = isInterrupted<PendingQuestion>(output) ? output[INTERRUPT].find((pending) => pending.id !== undefined) : undefined;
  return { values: output, waiting: waiting as RunPoint['waiting'] };
}

function segmentResult(point: RunPoint | null, ticket: TicketDto): SegmentResult {
  const waiting = point?.waiting;
  return {
    ticket,
    outcome: waiting ? 'paused' : 'finished',
    pending: waiting ? { ...waiting.value, id: waiting.id, source: 'workflow' } : null,
    summary: summarize(point),
  };
}

function summarize(point: RunPoint | null): WorkflowSummary | null {
  if (!point) return null;
  const { values, waiting } = point;
  const { draft } = values;
  return {
    step: waiting ? stepWaitingFor(waiting.value.kind) : (point.next ?? (values.closed ? 'closed' : 'done')),
    pending: waiting ? { ...waiting.value, interrupt_id: waiting.id } : null,
    rule: values.decision,
    triage: values.findings,
    plan: draft ? { summary: draft.summary, steps: draft.steps, confidence: draft.confidence, citations: draft.citations, provider: draft.provider } : null,
    human_responses: values.responses,
    closed: values.closed,
  };
}

function interruptFor(state: StateSnapshot, response: HumanResponse): { id: string; value: PendingQuestion } | undefined {
  return pendingInterrupts(state).find((candidate) => candidate.value.kind === RESPONSE_KIND[response.kind]);
}

function isClosed(status: TicketStatus): boolean {
  return FINAL_STATUSES.includes(status) || status === TicketStatus.Error;
}

function pendingInterrupts(state: StateSnapshot): Array<{ id: string; value: PendingQuestion }> {
  return state.tasks.flatMap((task) => task.interrupts).filter((pending) => pending.id !== undefined) as Array<{ id: string; value: PendingQuestion }>;
}
