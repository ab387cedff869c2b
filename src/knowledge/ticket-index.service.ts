// Keeps each ticket's vector (for "similar past tickets"): on creation, and again once it is resolved.
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { CoalescingBatch } from '../common/coalescing-batch';
import { TICKET_CREATED, TICKET_UPDATED, TicketCreatedSignal, TicketUpdatedSignal } from '../tickets/ticket-signals';
import { TicketsService } from '../tickets/tickets.service';
import { EMBEDDING_BATCH, Embedder } from './embedder.service';
import { EmbeddingsRepository } from './embeddings.repository';

@Injectable()
export class TicketIndex implements OnModuleDestroy {
  private readonly logger = new Logger(TicketIndex.name);
  private readonly ticketIndexing = new CoalescingBatch<string>((ticketIds) => this.indexTickets(ticketIds), EMBEDDING_BATCH);

  constructor(
    private readonly embeddingsRepository: EmbeddingsRepository,
    private readonly ticketsService: TicketsService,
    private readonly embedder: Embedder,
  ) {}

  /** The batch in progress finishes (or fails and says so) before the database closes. */
  onModuleDestroy(): Promise<void> {
    return this.ticketIndexing.idle();
  }

  @OnEvent(TICKET_CREATED, { async: true, promisify: true })
  async onTicketCreated({ ticketId }: TicketCreatedSignal): Promise<void> {
    await this.indexTicket(ticketId);
  }

  @OnEvent(TICKET_UPDATED, { async: true, promisify: true })
  async onTicketUpdated({ ticketId, status }: TicketUpdatedSignal): Promise<void> {
    if (status === 'resolved') await this.indexTicket(ticketId);
  }

  /**
   * Keeps a ticket's vector for "similar past tickets"; resolves once it is stored. Failures are logged,
   * never thrown at the caller. Tickets filed together are read, embedded and stored together.
   */
  indexTicket(ticketId: string): Promise<void> {
    return this.ticketIndexing.add(ticketId);
  }

  private async indexTickets(ticketIds: string[]): Promise<void> {
    try {
      // In id order: two instances storing overlapping batches lock their rows in the same order, never in a deadlock.
      const tickets = (await this.ticketsService.findByIds([...new Set(ticketIds)])).sort((a, b) => (a.ticket_id < b.ticket_id ? -1 : a.ticket_id > b.ticket_id ? 1 : 0));
      if (tickets.length === 0) return;
      const vectors = await this.embedder.embedDocuments(tickets.map((ticket) => [ticket.title, ticket.description, ticket.resolution ?? ''].join('\n')));
      await this.embeddingsRepository.upsertTicketEmbeddings(tickets.map((ticket, index) => ({ ticketId: ticket.ticket_id, embedding: vectors[index] })), this.embedder.modelName);
    } catch (error) {
      this.logger.warn(`Could not index tickets ${ticketIds.join(', ')} for similarity: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
