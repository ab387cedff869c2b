// Keeps each ticket's vector (for "similar past tickets"): on creation, and again once it is resolved.
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { CoalescingBatch } from '../common/coalescing-batch';
import { TICKET_CREATED, TICKET_UPDATED, TicketCreatedSignal, TicketText, TicketUpdatedSignal } from '../tickets/ticket-signals';
import { TicketsService } from '../tickets/tickets.service';
import { EMBEDDING_BATCH, Embedder } from './embedder.service';
import { EmbeddingsRepository } from './embeddings.repository';

/** A ticket to index, with its text when the signal that asked for it brought it. */
interface IndexEntry {
  ticketId: string;
  text?: TicketText;
}

@Injectable()
export class TicketIndex implements OnModuleDestroy {
  private readonly logger = new Logger(TicketIndex.name);
  private readonly ticketIndexing = new CoalescingBatch<IndexEntry>((entries) => this.indexTickets(entries), EMBEDDING_BATCH);

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
  async onTicketCreated({ ticketId, text }: TicketCreatedSignal): Promise<void> {
    await this.ticketIndexing.add({ ticketId, text });
  }

  @OnEvent(TICKET_UPDATED, { async: true, promisify: true })
  async onTicketUpdated({ ticketId, status, text }: TicketUpdatedSignal): Promise<void> {
    if (status === 'resolved') await this.ticketIndexing.add({ ticketId, text });
  }

  /**
   * Keeps a ticket's vector for "similar past tickets"; resolves once it is stored. Failures are logged,
   * never thrown at the caller. Tickets filed together are read, embedded and stored together.
   */
  indexTicket(ticketId: string): Promise<void> {
    return this.ticketIndexing.add({ ticketId });
  }

  /** A batch: the text its signals brought (the last for a ticket), the others' read; stored in one statement. */
  private async indexTickets(entries: IndexEntry[]): Promise<void> {
    const texts = new Map(entries.map((entry) => [entry.ticketId, entry.text]));
    try {
      const unread = [...texts].filter(([, text]) => text === undefined).map(([ticketId]) => ticketId);
      for (const ticket of unread.length > 0 ? await this.ticketsService.findByIds(unread) : []) {
        texts.set(ticket.ticket_id, { title: ticket.title, description: ticket.description, resolution: ticket.resolution });
      }
      // In id order: two instances storing overlapping batches lock their rows in the same order, never in a deadlock.
      const known = [...texts].filter((entry): entry is [string, TicketText] => entry[1] !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (known.length === 0) return;
      const vectors = await this.embedder.embedDocuments(known.map(([, text]) => [text.title, text.description, text.resolution ?? ''].join('\n')));
      await this.embeddingsRepository.upsertTicketEmbeddings(known.map(([ticketId], index) => ({ ticketId, embedding: vectors[index] })), this.embedder.modelName);
    } catch (error) {
      this.logger.warn(`Could not index tickets ${[...texts.keys()].join(', ')} for similarity: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
