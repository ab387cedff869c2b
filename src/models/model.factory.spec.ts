import { GoogleGenerativeAIEmbeddings } from '@langchain/google-genai';
import { OllamaEmbeddings } from '@langchain/ollama';
import { AppConfig } from '../config/app-config';
import { validateEnvironment } from '../config/environment';
import { LangChainResolutionModel } from './langchain-resolution-model';
import { LangChainTriageModel } from './langchain-triage-model';
import { createEmbeddingModel, createResolutionModel, createTriageModel } from './model.factory';
import { NomicEmbeddings } from './nomic-embeddings';
import { OfflineEmbeddings } from './offline-embeddings';
import { OfflineResolutionModel } from './offline-resolution-model';
import { OfflineTriageModel } from './offline-triage-model';
import { LimitedEmbeddings } from './model-call-limits';

const configWith = (vars: Record<string, string>) => new AppConfig(validateEnvironment({ JWT_SECRET_KEY: 'k'.repeat(40), ...vars }));

describe('model factory', () => {
  it('uses the offline models when no key is configured', () => {
    const config = configWith({});
    expect(createResolutionModel(config)).toBeInstanceOf(OfflineResolutionModel);
    expect(createTriageModel(config)).toBeInstanceOf(OfflineTriageModel);
    const embeddings = createEmbeddingModel(config);
    expect(embeddings.embeddings).toBeInstanceOf(OfflineEmbeddings);
    expect(embeddings.name).toBe('offline:hashed-ngrams-v1');
  });

  it('uses Gemini for both by default once GEMINI_API_KEY is set', () => {
    const config = configWith({ GEMINI_API_KEY: 'test-key', GEMINI_MODEL: 'gemini-x' });
    const model = createResolutionModel(config);
    expect(model).toBeInstanceOf(LangChainResolutionModel);
    expect(model.name).toBe('gemini:gemini-x');
    const triage = createTriageModel(config);
    expect(triage).toBeInstanceOf(LangChainTriageModel);
    expect(triage.name).toBe('gemini:gemini-x');
    const embeddings = createEmbeddingModel(config);
    expect(providerOf(embeddings.embeddings)).toBeInstanceOf(GoogleGenerativeAIEmbeddings);
    expect(embeddings.name).toBe('gemini:text-embedding-004');
  });

  it('lets each side be chosen separately', () => {
    const config = configWith({ GEMINI_API_KEY: 'test-key', LLM_PROVIDER: 'ollama', EMBEDDINGS_PROVIDER: 'offline', OLLAMA_MODEL: 'mistral' });
    expect(createResolutionModel(config).name).toBe('ollama:mistral');
    expect(createEmbeddingModel(config).name).toBe('offline:hashed-ngrams-v1');
    expect(createResolutionModel(configWith({ LLM_PROVIDER: 'ollama' }))).toBeInstanceOf(LangChainResolutionModel);
  });

  it('reaches Nomic through its API with a key, and through Ollama without one', () => {
    const hosted = createEmbeddingModel(configWith({ EMBEDDINGS_PROVIDER: 'nomic', NOMIC_API_KEY: 'nk' }));
    expect(providerOf(hosted.embeddings)).toBeInstanceOf(NomicEmbeddings);
    expect(hosted.name).toBe('nomic:nomic-embed-text-v1.5');
    const local = createEmbeddingModel(configWith({ EMBEDDINGS_PROVIDER: 'nomic' }));
    expect(providerOf(local.embeddings)).toBeInstanceOf(OllamaEmbeddings);
    expect(local.name).toBe('ollama:nomic-embed-text');
  });

  it('refuses gemini without a key, naming the variable', () => {
    expect(() => validateEnvironment({ LLM_PROVIDER: 'gemini' })).toThrow(/GEMINI_API_KEY is required/);
  });
});

/** A hosted or local provider, under the limits every model call gets. */
function providerOf(embeddings: unknown): unknown {
  expect(embeddings).toBeInstanceOf(LimitedEmbeddings);
  return (embeddings as LimitedEmbeddings).inner;
}
