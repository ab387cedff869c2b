/** An AI suggestion for resolving a ticket, grounded in the knowledge base (see the Llm module). */
export interface TicketSuggestion {
  summary: string;
  steps: string[];
  citations: Array<{ document_id: string; chunk_id: string; title: string }>;
  /** 0 to 1. */
  confidence: number;
  /** Which model wrote it, e.g. "offline" or "gemini:gemini-2.5-flash". */
  provider: string;
  suggested_at: string;
}
