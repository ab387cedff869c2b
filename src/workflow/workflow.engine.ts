// Drives the support graph for one ticket: runs a segment (from the start, after a crash, or with a
// human response), reads its state for people, and closes or prunes it. Checkpoints live in the app's own
// database (schema `langgraph`), through the same connection pool as everything else.
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Command, StateSnapshot } from '@langchain/langgraph';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LlmService } from '../llm/llm.service';
import { TicketEventType } from '../tickets/ticket-events';
import { FINAL_STATUSES } from '../tickets/ticket-transitions';
import { TicketStatus } from '../tickets/ticket.enums';
import { TicketsService } from '../tickets/tickets.service';
import { buildSupportGraph, SupportGraph, SupportStateValues } from './support.graph';
import type { HumanResponse, PendingQuestion, WorkflowSummary } from './workflow.types';

export type SegmentOutcome = 'paused' | 'finished';

const CHECKPOINT_SCHEMA = 'langgraph';
const RESPONSE_KIND = { answer: 'question', approval: 'approval' } as const;

@Injectable()
export class WorkflowEngine implements OnModuleInit {
  private readonly logger = new Logger(WorkflowEngine.name);
  private readonly checkpointer: PostgresSaver;
  private readonly graph: SupportGraph;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly ticketsService: TicketsService,
    llmService: LlmService,
  ) {
    // The TypeORM driver's pg pool: on the embedded database there is exactly one connection to share.
    const pool = (dataSource.driver as unknown as { master: ConstructorParameters<typeof PostgresSaver>[0] }).master;
    this.checkpointer = new PostgresSaver(pool, undefined, { schema: CHECKPOINT_SCHEMA });
    this.graph = buildSupportGraph(
      {
        ticket: async (ticketId) => {
          const ticket = await ticketsService.findById(ticketId);
          if (!ticket) throw new Error(`Ticket ${ticketId} no longer exists`);
          return ticket;
        },
        change: async (ticketId, changes, note, comment) => {
          await ticketsService.applyChanges(ticketId, null, changes, comment, { note });
        },
        triage: (ticket) => llmService.triage(ticket),
        retrieve: (query, ticketId) => llmService.retrieveContext(query, ticketId),
        plan: (ticket, context) => llmService.composePlan(ticket, context),
      },
      this.checkpointer,
    );
  }

  /** Creates or migrates the checkpoint tables (LangGraph's own, idempotent migrations). */
  async onModuleInit(): Promise<void> {
    await this.checkpointer.setup();
  }

  /**
   * Runs the ticket's graph until it pauses for a person or ends. A segment that applies a human decision
   * writes each step's checkpoint before the next step starts (durability "sync"): once applied, the
   * decision is never lost. Other segments have no human input to lose and idempotent steps, so they
   * checkpoint once, when they pause or end ("exit"): after a crash such a segment simply runs again.
   */
  async runSegment(ticketId: string, response: HumanResponse | null, signal: AbortSignal): Promise<{ outcome: SegmentOutcome; summary: WorkflowSummary | null }> {
    const ticket = await this.ticketsService.findById(ticketId);
    if (!ticket || isClosed(ticket.status)) return { outcome: 'finished', summary: null };
    const thread = threadOf(ticketId);
    let state = await this.graph.getState(thread);
    if (response && !(state.values as SupportStateValues).responses?.some((applied) => applied.id === response.id)) {
      let target = interruptFor(state, response);
      // The pause this response answers was not checkpointed before the process stopped: reach it again.
      if (!target && pendingInterrupts(state).length === 0 && (await this.advance(ticketId, state, signal))) {
        state = await this.graph.getState(thread);
        target = interruptFor(state, response);
      }
      if (!target) throw new Error(`The workflow is not waiting for ${response.kind === 'answer' ? 'an answer' : 'an approval'}`);
      await this.graph.invoke(new Command({ resume: { [target.id]: response } }), { ...thread, durability: 'sync', signal });
    } else if (pendingInterrupts(state).length > 0 || !(await this.advance(ticketId, state, signal))) {
      // Already paused, or nothing left to run.
      return segmentResult(state);
    }
    return segmentResult(await this.graph.getState(thread));
  }

  /** The ticket's status if a person closed it (or it failed), else null. */
  async closedStatus(ticketId: string): Promise<TicketStatus | null> {
    const ticket = await this.ticketsService.findById(ticketId);
    return ticket && isClosed(ticket.status) ? ticket.status : null;
  }

  /** Runs without human input — from the start, or on from the last checkpoint; false if nothing is left. */
  private async advance(ticketId: string, state: StateSnapshot, signal: AbortSignal): Promise<boolean> {
    if (state.createdAt && state.next.length === 0) return false;
    await this.graph.invoke(state.createdAt ? null : { ticketId }, { ...threadOf(ticketId), durability: 'exit', signal });
    return true;
  }

  /** Ends a failed run: the ticket goes to `error` with an error event carrying the message. */
  async fail(ticketId: string, message: string): Promise<void> {
    const ticket = await this.ticketsService.findById(ticketId);
    // A ticket someone already closed keeps its status; there is nothing left to fail.
    if (!ticket || isClosed(ticket.status)) return;
    this.logger.warn(`Workflow for ticket ${ticketId} failed: ${message}`);
    await this.ticketsService.applyChanges(ticketId, null, { status: TicketStatus.Error, decision: 'error' }, undefined, {
      event: { type: TicketEventType.Error, payload: { message } },
      note: { step: 'error' },
    });
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
    return summarize(await this.graph.getState(threadOf(ticketId)));
  }

  /** Deletes a closed ticket's checkpoints (LangGraph writes dozens of rows per run). */
  deleteCheckpoints(ticketId: string): Promise<void> {
    return this.checkpointer.deleteThread(ticketId);
  }
}

/** LangGraph's thread of a ticket: one per ticket, named by its id. */
function threadOf(ticketId: string) {
  return { configurable: { thread_id: ticketId } };
}

function segmentResult(state: StateSnapshot): { outcome: SegmentOutcome; summary: WorkflowSummary | null } {
  return { outcome: pendingInterrupts(state).length > 0 ? 'paused' : 'finished', summary: summarize(state) };
}

function summarize(state: StateSnapshot): WorkflowSummary | null {
  if (!state.createdAt) return null;
  const values = state.values as SupportStateValues;
  const [waiting] = pendingInterrupts(state);
  const { draft } = values;
  return {
    step: waiting ? (waiting.value.kind === 'approval' ? 'approval' : 'ask_user') : (state.next[0] ?? (values.closed ? 'closed' : 'done')),
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
