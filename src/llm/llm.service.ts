// The support assistant: triage of a new request, the knowledge a plan may draw on, and the plan itself
// (the workflow's steps, and POST /llm/resolve_ticket). Named LlmService because the workflow calls it so.
import { BadGatewayException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { TicketSuggestion } from '../tickets/ticket-suggestion';
import { TicketDto } from '../tickets/dto/ticket.dto';
import type { TicketAudience } from '../tickets/ticket-audience';
import { TicketWriter } from '../tickets/ticket-writer.service';
import { TicketsService, Viewer } from '../tickets/tickets.service';
import { ResolutionDto } from './dto/resolution.dto';
import type { ResolvedTicketHit } from '../knowledge/knowledge-search.repository';
import { KnowledgeSearch } from '../knowledge/knowledge-search.service';
import { ModelUnavailableError, Passage, RESOLUTION_MODEL, ResolutionModel } from '../models/resolution-model';
import { TRIAGE_MODEL, TriageModel, TriageResult } from '../models/triage-model';

/** What retrieval found for a ticket: passages (with their fused score) and similar resolved tickets. */
export interface RetrievedContext {
  passages: Array<Passage & { score: number }>;
  /** Their resolutions only: another requester's title or description never reaches a prompt (kept in checkpoints). */
  similarTickets: Array<{ ticketId: string; resolution: string; similarity: number }>;
}

/** How many passages a plan may draw on. */
const PASSAGES = 5;
/** How many similar resolved tickets a plan may draw on. */
const SIMILAR_RESOLVED_TICKETS = 3;

@Injectable()
export class LlmService {
  constructor(
    private readonly knowledgeSearch: KnowledgeSearch,
    private readonly ticketsService: TicketsService,
    private readonly ticketWriter: TicketWriter,
    @Inject(RESOLUTION_MODEL) private readonly resolutionModel: ResolutionModel,
    @Inject(TRIAGE_MODEL) private readonly triageModel: TriageModel,
  ) {}

  async resolveTicket(actor: Viewer, ticketId: string): Promise<ResolutionDto> {
    const ticket = await this.ticketsService.get(actor, ticketId);
    const context = await this.retrieveContext(`${ticket.title}\n${ticket.description}`, ticketId);
    const suggestion = await this.composePlan(ticket, context, 'staff');
    await this.ticketWriter.recordSuggestion(ticketId, actor.id, suggestion);
    return { ticket_id: ticketId, ...suggestion };
  }

  /** Reads a new request as the workflow's triage step (the offline provider uses transparent rules). */
  triage(ticket: TicketDto): Promise<TriageResult> {
    return this.triageModel
      .triage({
        title: ticket.title,
        description: ticket.description,
        requestType: ticket.request_type,
        category: ticket.category,
        priority: ticket.priority,
        urgency: ticket.urgency,
        businessJustification: ticket.business_justification,
      })
      .catch((error: unknown) => {
        throw toModelHttpError(error);
      });
  }

  /** The knowledge a plan may draw on: the best passages and similar resolved tickets (never the ticket itself). */
  async retrieveContext(query: string, ticketId?: string): Promise<RetrievedContext> {
    const { hits, resolved: similar } = await this.knowledgeSearch.retrieve(query, { passages: PASSAGES, resolved: SIMILAR_RESOLVED_TICKETS }, ticketId);
    return {
      passages: hits.map(({ chunkId, documentId, title, heading, page, text, score }) => ({ chunkId, documentId, title, heading, page, text, score })),
      similarTickets: similar.map((hit) => ({ ticketId: hit.ticketId, resolution: withoutOwnWords(hit), similarity: hit.similarity })),
    };
  }

  /**
   * A suggestion grounded in `context`, written for `audience`: the requester (the workflow's plan, which
   * they read) or support (POST /llm/resolve_ticket). Citations of passages the model was not shown are dropped.
   */
  async composePlan(
    ticket: Pick<TicketDto, 'title' | 'description' | 'request_type' | 'category'>,
    context: RetrievedContext,
    audience: TicketAudience,
  ): Promise<TicketSuggestion> {
    const draft = await this.resolutionModel
      .suggest({
        audience,
        ticket: { title: ticket.title, description: ticket.description, requestType: ticket.request_type, category: ticket.category },
        passages: context.passages,
        pastResolutions: context.similarTickets.map((similar) => similar.resolution).filter(Boolean),
      })
      .catch((error: unknown) => {
        throw toModelHttpError(error);
      });
    const retrieved = new Map(context.passages.map((passage) => [passage.chunkId, passage]));
    const citations = [...new Set(draft.citedChunkIds)]
      .filter((chunkId) => retrieved.has(chunkId))
      .map((chunkId) => ({ document_id: retrieved.get(chunkId)!.documentId, chunk_id: chunkId, title: retrieved.get(chunkId)!.title }));
    return {
      summary: draft.summary,
      steps: draft.steps,
      citations,
      confidence: Math.min(1, Math.max(0, Number.isFinite(draft.confidence) ? draft.confidence : 0)),
      provider: this.resolutionModel.name,
      suggested_at: new Date().toISOString(),
    };
  }
}

/**
 * A past ticket's resolution without its own title, description or justification, wherever it quotes them
 * (an approval's resolution quotes the title): a prompt for one requester never carries another's words.
 */
function withoutOwnWords(hit: ResolvedTicketHit): string {
  // Longest first: a title quoted inside the description must not break the description's match.
  const own = [hit.title, hit.description, hit.businessJustification ?? '']
    .map((text) => text.trim())
    .filter((text) => text.length >= 3)
    .sort((a, b) => b.length - a.length);
  return own.reduce((resolution, text) => resolution.replace(new RegExp(escapeRegExp(text), 'gi'), '[…]'), hit.resolution);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toModelHttpError(error: unknown): Error {
  if (error instanceof ModelUnavailableError) {
    return error.timedOut ? new ServiceUnavailableException(error.message) : new BadGatewayException(error.message);
  }
  return error instanceof Error ? error : new Error(String(error));
}
