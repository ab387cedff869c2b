// Typed, validated configuration, injected wherever a setting is needed (nothing else reads process.env).
import { Logger } from '@nestjs/common';
import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_INCIDENT_SIMILARITY } from '../incidents/incident-detection';
import { ChatProvider, EmbeddingProvider, Environment, JwtAlgorithm } from './environment';

export class AppConfig {
  readonly nodeEnv: Environment['NODE_ENV'];
  readonly isProduction: boolean;
  readonly host: string;
  readonly port: number;
  readonly logLevel: Environment['LOG_LEVEL'];
  /** Readable log lines (pino-pretty) rather than JSON: LOG_FORMAT, or `auto` = when stdout is a terminal. */
  readonly prettyLogs: boolean;
  readonly allowedOrigins: string[] | '*';
  readonly trustProxy: string | boolean | number;
  readonly databaseUrl?: string;
  readonly dataDir: string;
  readonly jwt: { secret: string; key: KeyObject; algorithm: JwtAlgorithm; accessTokenTtlSeconds: number; refreshTokenTtlDays: number; refreshReuseGraceSeconds: number };
  readonly bcryptRounds: number;
  readonly admin?: { email: string; password: string };
  readonly authThrottle: { limit: number; ttlSeconds: number };
  /** Per account, across addresses and instances: failures allowed, then a wait that doubles up to a cap. */
  readonly signInThrottle: { failureLimit: number; backoffSeconds: number; maxBackoffSeconds: number; windowSeconds: number };
  readonly bodyLimit: string;
  readonly swaggerEnabled: boolean;
  readonly consoleEnabled: boolean;
  readonly sla: { pollMs: number };
  /** Load the demo at start-up (never in production). */
  readonly demo: boolean;
  readonly events: { keepaliveSeconds: number; pollSeconds: number; maxStreamsPerUser: number; accessCheckMs: number };
  /** Per-user limits: how many of each action one user may take per window. */
  readonly userLimits: { windowSeconds: number; requests: number; hil: number; uploads: number };
  /** A requester's reply within this long of the resolution reopens the ticket (0: never). */
  readonly reopenOnReplyMs: number;
  /** Major incidents: when alike reports make one (see src/incidents), and how its resolution is worked. */
  readonly incidents: { minRequesters: number; windowMs: number; similarity: number; resolveBatch: number };
  readonly workflow: {
    enabled: boolean;
    maxConcurrent: number;
    timeoutMs: number;
    hilWaitMs: number;
    leaseSeconds: number;
    pollMs: number;
    checkpointRetentionDays: number;
  };
  readonly llm: {
    chatProvider: ChatProvider;
    embeddingsProvider: EmbeddingProvider;
    gemini: { apiKey?: string; model: string; embeddingModel: string };
    ollama: { baseUrl: string; model: string; embeddingModel: string };
    nomicApiKey?: string;
    timeoutMs: number;
    maxRetries: number;
  };
  readonly uploads: { maxBytes: number; maxUncompressedBytes: number; maxExpansionRatio: number };
  /** Files attached to tickets: the largest one, and how many one ticket may hold. */
  readonly attachments: { maxBytes: number; maxPerTicket: number };
  readonly ingestion: { concurrency: number; queueMs: number; workerThreads: number; workerMemoryMb: number; taskTimeoutMs: number };

  constructor(env: Environment) {
    this.nodeEnv = env.NODE_ENV;
    this.isProduction = env.NODE_ENV === 'production';
    this.host = env.HOST;
    this.port = env.PORT;
    this.logLevel = env.LOG_LEVEL;
    this.prettyLogs = env.LOG_FORMAT === 'pretty' || (env.LOG_FORMAT === 'auto' && process.stdout.isTTY === true);
    const origins = env.ALLOWED_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean);
    this.allowedOrigins = origins.includes('*') ? '*' : origins;
    this.trustProxy = parseTrustProxy(env.TRUST_PROXY);
    this.databaseUrl = env.DATABASE_URL;
    this.dataDir = resolve(env.DATA_DIR);
    const secret = env.JWT_SECRET_KEY ?? loadOrCreateDevelopmentSecret(this.dataDir);
    this.jwt = {
      secret,
      // Made once: given a string, jsonwebtoken first tries to parse it as a PEM public key on every verify.
      key: createSecretKey(Buffer.from(secret, 'utf8')),
      algorithm: env.JWT_ALGORITHM,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_EXPIRE_MINUTES * 60,
      refreshTokenTtlDays: env.REFRESH_TOKEN_EXPIRE_DAYS,
      refreshReuseGraceSeconds: env.REFRESH_REUSE_GRACE_SECONDS,
    };
    this.bcryptRounds = env.BCRYPT_ROUNDS;
    this.admin = env.ADMIN_EMAIL && env.ADMIN_PASSWORD ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD } : undefined;
    this.authThrottle = { limit: env.AUTH_THROTTLE_LIMIT, ttlSeconds: env.AUTH_THROTTLE_TTL };
    this.signInThrottle = {
      failureLimit: env.SIGN_IN_FAILURE_LIMIT,
      backoffSeconds: env.SIGN_IN_BACKOFF_SECONDS,
      maxBackoffSeconds: Math.max(env.SIGN_IN_BACKOFF_SECONDS, env.SIGN_IN_BACKOFF_MAX_SECONDS),
      windowSeconds: env.SIGN_IN_FAILURE_WINDOW_SECONDS,
    };
    this.bodyLimit = env.BODY_LIMIT;
    this.swaggerEnabled = env.SWAGGER_ENABLED;
    this.consoleEnabled = env.CONSOLE_ENABLED;
    this.demo = env.DEMO;
    this.events = {
      keepaliveSeconds: env.SSE_KEEPALIVE_SECONDS,
      pollSeconds: env.EVENTS_POLL_SECONDS,
      maxStreamsPerUser: env.SSE_MAX_STREAMS_PER_USER,
      accessCheckMs: env.SSE_ACCESS_CHECK_MS,
    };
    this.userLimits = {
      windowSeconds: env.LIMIT_WINDOW_SECONDS,
      requests: env.LIMIT_REQUESTS_PER_WINDOW,
      hil: env.LIMIT_HIL_PER_WINDOW,
      uploads: env.LIMIT_UPLOADS_PER_WINDOW,
    };
    this.reopenOnReplyMs = env.REOPEN_ON_REPLY_DAYS * 24 * 3600 * 1000;
    this.incidents = {
      minRequesters: env.INCIDENT_MIN_REQUESTERS,
      windowMs: env.INCIDENT_WINDOW_MINUTES * 60_000,
      similarity: env.INCIDENT_SIMILARITY ?? DEFAULT_INCIDENT_SIMILARITY,
      resolveBatch: env.INCIDENT_RESOLVE_BATCH,
    };
    this.workflow = {
      enabled: env.WORKFLOW_ENABLED,
      maxConcurrent: env.MAX_CONCURRENT_WORKFLOWS,
      timeoutMs: env.WORKFLOW_TIMEOUT * 1000,
      hilWaitMs: env.HIL_WAIT_SECONDS * 1000,
      leaseSeconds: env.WORKFLOW_LEASE_SECONDS,
      pollMs: env.WORKFLOW_POLL_MS,
      checkpointRetentionDays: env.WORKFLOW_CHECKPOINT_RETENTION_DAYS,
    };
    this.sla = { pollMs: env.SLA_POLL_MS };
    const defaultProvider = env.GEMINI_API_KEY ? 'gemini' : 'offline';
    this.llm = {
      chatProvider: env.LLM_PROVIDER ?? defaultProvider,
      embeddingsProvider: env.EMBEDDINGS_PROVIDER ?? defaultProvider,
      gemini: { apiKey: env.GEMINI_API_KEY, model: env.GEMINI_MODEL, embeddingModel: env.GEMINI_EMBEDDING_MODEL },
      ollama: { baseUrl: env.OLLAMA_BASE_URL, model: env.OLLAMA_MODEL, embeddingModel: env.OLLAMA_EMBEDDING_MODEL },
      nomicApiKey: env.NOMIC_API_KEY,
      timeoutMs: env.LLM_TIMEOUT_SECONDS * 1000,
      maxRetries: env.LLM_MAX_RETRIES,
    };
    this.uploads = {
      maxBytes: env.MAX_UPLOAD_MB * 1024 * 1024,
      maxUncompressedBytes: env.MAX_UNCOMPRESSED_MB * 1024 * 1024,
      maxExpansionRatio: env.MAX_EXPANSION_RATIO,
    };
    this.attachments = { maxBytes: env.ATTACHMENT_MAX_MB * 1024 * 1024, maxPerTicket: env.ATTACHMENTS_PER_TICKET };
    this.ingestion = {
      concurrency: env.INGEST_CONCURRENCY,
      queueMs: env.INGEST_QUEUE_SECONDS * 1000,
      // One core stays with the event loop, which serves every other request meanwhile.
      workerThreads: env.INGEST_WORKER_THREADS ?? Math.max(1, availableParallelism() - 1),
      workerMemoryMb: env.INGEST_WORKER_MEMORY_MB,
      taskTimeoutMs: env.INGEST_TASK_TIMEOUT_SECONDS * 1000,
    };
  }
}

/** Express's `trust proxy`: true/false, a number of hops, or addresses and names such as `loopback`. */
function parseTrustProxy(value: string): string | boolean | number {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

// Development convenience: a strong random secret kept beside the embedded database, so tokens survive a
// restart without anyone having to invent a key. Production refuses to start without JWT_SECRET_KEY.
function loadOrCreateDevelopmentSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  chmodSync(file, 0o600);
  new Logger('Config').warn(`JWT_SECRET_KEY is not set: generated a development key in ${file}`);
  return secret;
}
