// Builds the configured embedding model and resolution model (LLM_PROVIDER, EMBEDDINGS_PROVIDER).
import { Embeddings } from '@langchain/core/embeddings';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatGoogleGenerativeAI, GoogleGenerativeAIEmbeddings } from '@langchain/google-genai';
import { ChatOllama, OllamaEmbeddings } from '@langchain/ollama';
import { AppConfig } from '../config/app-config';
import { LangChainResolutionModel } from './langchain-resolution-model';
import type { DocumentWorkers } from '../knowledge/ingestion/document-workers';
import { fetchWithin, LimitedEmbeddings, ModelCallLimits } from './model-call-limits';
import { NomicEmbeddings } from './nomic-embeddings';
import { OfflineEmbeddings } from './offline-embeddings';
import { OfflineResolutionModel } from './offline-resolution-model';
import { ResolutionModel } from './resolution-model';
import { LangChainTriageModel } from './langchain-triage-model';
import { OfflineTriageModel } from './offline-triage-model';
import { TriageModel } from './triage-model';

export interface EmbeddingModel {
  embeddings: Embeddings;
  /** Stored beside every vector, so that vectors of different models are never compared. */
  name: string;
}

export const EMBEDDING_MODEL = Symbol('EMBEDDING_MODEL');

/** `workers`, when given, computes offline document embeddings off the event loop. */
export function createEmbeddingModel(config: AppConfig, workers?: DocumentWorkers): EmbeddingModel {
  const { llm } = config;
  const limited = (name: string, embeddings: Embeddings): EmbeddingModel => ({ name, embeddings: new LimitedEmbeddings(embeddings, limitsOf(config)) });
  switch (llm.embeddingsProvider) {
    case 'gemini':
      return limited(`gemini:${llm.gemini.embeddingModel}`, new GoogleGenerativeAIEmbeddings({ apiKey: llm.gemini.apiKey, model: llm.gemini.embeddingModel, maxRetries: 0 }));
    case 'nomic':
      return llm.nomicApiKey
        ? limited('nomic:nomic-embed-text-v1.5', new NomicEmbeddings(llm.nomicApiKey, fetchWithin(llm.timeoutMs)))
        : limited('ollama:nomic-embed-text', new OllamaEmbeddings({ baseUrl: llm.ollama.baseUrl, model: 'nomic-embed-text', maxRetries: 0, fetch: fetchWithin(llm.timeoutMs) }));
    case 'ollama':
      return limited(`ollama:${llm.ollama.embeddingModel}`, new OllamaEmbeddings({ baseUrl: llm.ollama.baseUrl, model: llm.ollama.embeddingModel, maxRetries: 0, fetch: fetchWithin(llm.timeoutMs) }));
    case 'offline':
      return { name: 'offline:hashed-ngrams-v1', embeddings: new OfflineEmbeddings(workers && ((texts) => workers.embed(texts))) };
  }
}

/** The configured chat model with its display name, or null for the offline provider. */
function createChatModel(config: AppConfig): { name: string; model: BaseChatModel } | null {
  const { llm } = config;
  switch (llm.chatProvider) {
    case 'gemini':
      return {
        name: `gemini:${llm.gemini.model}`,
        model: new ChatGoogleGenerativeAI({ apiKey: llm.gemini.apiKey, model: llm.gemini.model, temperature: 0.2, maxRetries: 0 }),
      };
    case 'ollama':
      return {
        name: `ollama:${llm.ollama.model}`,
        model: new ChatOllama({ baseUrl: llm.ollama.baseUrl, model: llm.ollama.model, temperature: 0.2, maxRetries: 0, fetch: fetchWithin(llm.timeoutMs) }),
      };
    case 'offline':
      return null;
  }
}

/** The same bounds on every model call: LLM_TIMEOUT_SECONDS per attempt, LLM_MAX_RETRIES more attempts. */
function limitsOf(config: AppConfig): ModelCallLimits {
  return { timeoutMs: config.llm.timeoutMs, maxRetries: config.llm.maxRetries };
}

export function createResolutionModel(config: AppConfig): ResolutionModel {
  const chat = createChatModel(config);
  return chat ? new LangChainResolutionModel(chat.name, chat.model, limitsOf(config)) : new OfflineResolutionModel();
}

export function createTriageModel(config: AppConfig): TriageModel {
  const chat = createChatModel(config);
  return chat ? new LangChainTriageModel(chat.name, chat.model, limitsOf(config)) : new OfflineTriageModel();
}
