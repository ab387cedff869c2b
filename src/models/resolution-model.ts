// The seam between the Llm module and whichever model writes resolution suggestions: Gemini or Ollama
// through LangChain, or the offline extractive composer. Chosen by LLM_PROVIDER.
import type { TicketAudience } from '../tickets/ticket-audience';
import { ModelTimeoutError } from './model-call-limits';

/** What an answer says when the knowledge base does not answer the ticket: support takes it. */
export const NO_KNOWLEDGE_SUMMARY = 'I could not find a how-to for this; a support engineer will take it.';

/** A knowledge-base passage the model may cite. */
export interface Passage {
  chunkId: string;
  documentId: string;
  title: string;
  heading: string | null;
  page: number | null;
  text: string;
}

export interface ResolutionRequest {
  /** Who reads the answer: the requester (the workflow's plan and auto-resolution) or support (POST /llm/resolve_ticket). */
  audience: TicketAudience;
  ticket: { title: string; description: string; requestType: string; category: string };
  passages: Passage[];
  /** How similar resolved tickets were resolved: their resolutions only, never another requester's title or description. */
  pastResolutions: string[];
}

/** What a model proposes; citations name passages by chunk id (they are checked against the passages). */
export interface ResolutionDraft {
  summary: string;
  steps: string[];
  citedChunkIds: string[];
  confidence: number;
}

export interface ResolutionModel {
  /** e.g. "offline", "gemini:gemini-2.5-flash" */
  readonly name: string;
  suggest(request: ResolutionRequest): Promise<ResolutionDraft>;
}

export const RESOLUTION_MODEL = Symbol('RESOLUTION_MODEL');

/** A model that failed or timed out; the service answers 502/503 with the message. */
export class ModelUnavailableError extends Error {
  constructor(
    message: string,
    readonly timedOut = false,
  ) {
    super(message);
  }
}

/** What any LangChain call's failure becomes: a timeout (503) or a failed model (502), with the model named. */
export function toModelUnavailable(modelName: string, error: unknown): ModelUnavailableError {
  const message = error instanceof Error ? error.message : String(error);
  const timedOut = error instanceof ModelTimeoutError || /timeout|timed out|abort/i.test(message);
  return new ModelUnavailableError(
    timedOut ? `The language model (${modelName}) did not answer in time` : `The language model (${modelName}) failed: ${message.slice(0, 300)}`,
    timedOut,
  );
}
