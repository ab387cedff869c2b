// The environment variables the app understands, validated once at start-up so a bad value stops the
// app with a message naming the variable instead of failing later at first use.
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  validateSync,
} from 'class-validator';
import { PasswordStrength } from '../common/password-strength';

export const JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];
export const CHAT_PROVIDERS = ['gemini', 'ollama', 'offline'] as const;
export const EMBEDDING_PROVIDERS = ['gemini', 'nomic', 'ollama', 'offline'] as const;
export type ChatProvider = (typeof CHAT_PROVIDERS)[number];
export type EmbeddingProvider = (typeof EMBEDDING_PROVIDERS)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;

// Anything that is not plainly an integer or a boolean word is passed on as it is, for the validators to
// refuse with the variable's name (Number() would take '0x1F', '1e3' or ' ').
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value);
const BOOLEAN_WORDS: Record<string, boolean> = { '1': true, true: true, yes: true, on: true, '0': false, false: false, no: false, off: false };
const toBool = ({ value }: { value: unknown }) => BOOLEAN_WORDS[String(value).trim().toLowerCase()] ?? value;

export class Environment {
  @IsOptional() @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @IsOptional() @IsString()
  HOST = '0.0.0.0';

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 8000;

  @IsOptional() @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** `auto`: readable lines when standard output is a terminal, JSON lines otherwise (files, collectors). */
  @IsOptional() @IsIn(LOG_FORMATS)
  LOG_FORMAT: (typeof LOG_FORMATS)[number] = 'auto';

  /** Comma-separated origins allowed by CORS; `*` allows any. */
  @IsOptional() @IsString()
  ALLOWED_ORIGINS = 'http://localhost:3000,http://localhost:8080';

  /** Express `trust proxy` setting: which proxies may set X-Forwarded-For (client IP for throttling). */
  @IsOptional() @IsString()
  TRUST_PROXY = 'loopback';

  @IsOptional() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /** Where the embedded database and generated development secrets live. */
  @IsOptional() @IsString()
  DATA_DIR = './data';

  @IsOptional() @IsString() @MinLength(32, { message: 'JWT_SECRET_KEY must be at least 32 characters long' })
  JWT_SECRET_KEY?: string;

  @IsOptional() @IsIn(JWT_ALGORITHMS)
  JWT_ALGORITHM: JwtAlgorithm = 'HS256';

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(24 * 60)
  ACCESS_TOKEN_EXPIRE_MINUTES = 30;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(365)
  REFRESH_TOKEN_EXPIRE_DAYS = 14;

  @IsOptional() @Transform(toInt) @IsInt() @Min(4) @Max(15)
  BCRYPT_ROUNDS = 12;

  /** Seconds after its rotation in which a refresh token shown again (a second tab, a retried request) gets the same successor. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(300)
  REFRESH_REUSE_GRACE_SECONDS = 10;

  /** Days after a ticket is resolved during which its requester's reply reopens it into the support queue. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(365)
  REOPEN_ON_REPLY_DAYS = 14;

  /** Major incidents: how many different people must report alike tickets before an incident is proposed. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(2) @Max(10000)
  INCIDENT_MIN_REQUESTERS = 5;

  /** Major incidents: how recent (minutes) the alike reports must be to count together. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(24 * 60)
  INCIDENT_WINDOW_MINUTES = 30;

  /** Major incidents: the likeness (0–1, title and description) two reports need to count as the same problem; measured by `npm run eval:incidents`. */
  @IsOptional() @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value))) @IsNumber() @Min(0) @Max(1)
  INCIDENT_SIMILARITY?: number;

  /** Major incidents: tickets resolved per transaction when an incident is resolved. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  INCIDENT_RESOLVE_BATCH = 50;

  /** Per user and window: tickets filed (POST /request, POST /tickets); more get 429. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1)
  LIMIT_REQUESTS_PER_WINDOW = 30;

  /** Per user and window: answers and approvals (POST /hil). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1)
  LIMIT_HIL_PER_WINDOW = 60;

  /** Per user and window: knowledge-base uploads. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1)
  LIMIT_UPLOADS_PER_WINDOW = 20;

  /** Length of the per-user limits' window, in seconds. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(86400)
  LIMIT_WINDOW_SECONDS = 60;

  @IsOptional() @IsEmail()
  ADMIN_EMAIL?: string;

  @IsOptional() @IsString() @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters long' })
  @Validate(PasswordStrength, { message: 'ADMIN_PASSWORD must contain a letter and a digit and be at most 72 bytes long' })
  ADMIN_PASSWORD?: string;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1)
  AUTH_THROTTLE_LIMIT = 20;

  /** Window of the auth throttle, in seconds. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1)
  AUTH_THROTTLE_TTL = 60;

  /** Failed sign-ins to one account (from any address) after which its sign-ins wait (429). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  SIGN_IN_FAILURE_LIMIT = 5;

  /** How long an account's sign-ins wait after the last allowed failure, in seconds; doubled per further failure. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(86400)
  SIGN_IN_BACKOFF_SECONDS = 30;

  /** The longest wait, however many failures, in seconds. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(86400)
  SIGN_IN_BACKOFF_MAX_SECONDS = 900;

  /** How long an account's failures are remembered after the last one (or the end of its wait), in seconds. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(7 * 86400)
  SIGN_IN_FAILURE_WINDOW_SECONDS = 900;

  /** Largest JSON or form body accepted, e.g. `1mb`. */
  @IsOptional() @Matches(/^\d+(kb|mb)$/i, { message: 'BODY_LIMIT must look like 512kb or 1mb' })
  BODY_LIMIT = '1mb';

  @IsOptional() @Transform(toBool) @IsBoolean()
  SWAGGER_ENABLED = true;

  /** Serve the web console (console/dist) at `/`; off for an API-only deployment. */
  @IsOptional() @Transform(toBool) @IsBoolean()
  CONSOLE_ENABLED = true;

  /** Seconds between keepalive messages on an event stream (the Local IT Support API: 30). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  SSE_KEEPALIVE_SECONDS = 30;

  /** Chat model: gemini, ollama or offline. Default: gemini when GEMINI_API_KEY is set, else offline. */
  @IsOptional() @IsIn(CHAT_PROVIDERS)
  LLM_PROVIDER?: ChatProvider;

  /** Embeddings: gemini, nomic, ollama or offline. Default: gemini when GEMINI_API_KEY is set, else offline. */
  @IsOptional() @IsIn(EMBEDDING_PROVIDERS)
  EMBEDDINGS_PROVIDER?: EmbeddingProvider;

  @IsOptional() @IsString()
  GEMINI_API_KEY?: string;

  @IsOptional() @IsString()
  GEMINI_MODEL = 'gemini-2.5-flash';

  @IsOptional() @IsString()
  GEMINI_EMBEDDING_MODEL = 'text-embedding-004';

  @IsOptional() @Matches(/^https?:\/\//, { message: 'OLLAMA_BASE_URL must be an http(s) URL' })
  OLLAMA_BASE_URL = 'http://127.0.0.1:11434';

  @IsOptional() @IsString()
  OLLAMA_MODEL = 'llama3.1';

  @IsOptional() @IsString()
  OLLAMA_EMBEDDING_MODEL = 'nomic-embed-text';

  /** With EMBEDDINGS_PROVIDER=nomic: Nomic's hosted API; without it, nomic-embed-text through Ollama. */
  @IsOptional() @IsString()
  NOMIC_API_KEY?: string;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(600)
  LLM_TIMEOUT_SECONDS = 60;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(10)
  LLM_MAX_RETRIES = 2;

  /** Largest document upload, in MB. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(500)
  MAX_UPLOAD_MB = 20;

  /** Largest file attached to a ticket, in MB. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100)
  ATTACHMENT_MAX_MB = 10;

  /** Files one ticket may hold at once. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  ATTACHMENTS_PER_TICKET = 20;

  /** Largest a document (PDF streams, DOCX entries) may expand to when read, in MB, whatever its size (decompression-bomb guard). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(2000)
  MAX_UNCOMPRESSED_MB = 100;

  /** Largest a document may expand to when read, as a multiple of its own size; MAX_UNCOMPRESSED_MB caps it. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(10000)
  MAX_EXPANSION_RATIO = 50;

  /** Uploads read and stored at once on this instance; more wait (see INGEST_QUEUE_SECONDS). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(64)
  INGEST_CONCURRENCY = 2;

  /** Seconds an upload may wait for its turn before it is refused with 503. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  INGEST_QUEUE_SECONDS = 30;

  /** Threads that read documents and compute offline embeddings; default: the cores but one (at least 1). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(64)
  INGEST_WORKER_THREADS?: number;

  /** Heap one of those threads may use, in MB: a document that needs more to be read is refused (422). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(64) @Max(16384)
  INGEST_WORKER_MEMORY_MB = 512;

  /** Seconds a thread may spend reading one document before it is refused (422). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  INGEST_TASK_TIMEOUT_SECONDS = 120;

  /** Open event streams one user may hold on one instance; more are refused with 429. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  SSE_MAX_STREAMS_PER_USER = 10;

  /** Milliseconds between checks that the viewers of open streams still have the access they opened them with. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(50) @Max(10000)
  SSE_ACCESS_CHECK_MS = 500;

  /** Seconds between safety reads for ticket events written by other instances (on PostgreSQL they are announced at once by NOTIFY). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  EVENTS_POLL_SECONDS = 5;

  /** true (`npm run demo`): load the demo accounts, knowledge base and requests at start-up; refused in production. */
  @IsOptional() @Transform(toBool) @IsBoolean()
  DEMO = false;

  /** false: tickets are worked by people only — no workflow is queued, and every status is theirs to set. */
  @IsOptional() @Transform(toBool) @IsBoolean()
  WORKFLOW_ENABLED = true;

  /** Workflow runs at once on this instance; more wait in the queue. 0 = an intake-only instance that runs none. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(1000)
  MAX_CONCURRENT_WORKFLOWS = 10;

  /** Seconds a workflow run segment may take before it ends in `error`. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(86400)
  WORKFLOW_TIMEOUT = 300;

  /** Seconds POST /hil waits for a running workflow to pause before answering 409. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(120)
  HIL_WAIT_SECONDS = 10;

  /** Seconds a claimed run stays this instance's without a heartbeat; after that another instance takes it over. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  WORKFLOW_LEASE_SECONDS = 30;

  /** Milliseconds between safety looks at the queue (runs queued elsewhere are announced at once by NOTIFY on PostgreSQL). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(50) @Max(60000)
  WORKFLOW_POLL_MS = 5000;

  /** Days the checkpoints of a closed ticket are kept before they are pruned (its summary stays). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(3650)
  WORKFLOW_CHECKPOINT_RETENTION_DAYS = 7;

  /** Milliseconds between looks for due SLA timers (warnings, breaches); a due timer fires within about this. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(60000)
  SLA_POLL_MS = 1000;
}

export function validateEnvironment(raw: Record<string, unknown>): Environment {
  // Empty strings (as left by `FOO=` in a .env file) mean "not set".
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
  const env = plainToInstance(Environment, present, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const lines = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new Error(`Invalid configuration:\n  - ${lines.join('\n  - ')}`);
  }
  if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
    throw new Error('Invalid configuration:\n  - ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  if (env.DEMO && env.NODE_ENV === 'production') {
    throw new Error('Invalid configuration:\n  - DEMO=true creates accounts whose password is published: it is refused when NODE_ENV is production');
  }
  if ((env.LLM_PROVIDER === 'gemini' || env.EMBEDDINGS_PROVIDER === 'gemini') && !env.GEMINI_API_KEY) {
    throw new Error('Invalid configuration:\n  - GEMINI_API_KEY is required when LLM_PROVIDER or EMBEDDINGS_PROVIDER is gemini');
  }
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET_KEY) {
    throw new Error('Invalid configuration:\n  - JWT_SECRET_KEY is required when NODE_ENV=production');
  }
  return env;
}
