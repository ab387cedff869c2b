// The pool of threads that do an upload's CPU work (piscina), so that the event loop keeps serving every
// other request meanwhile: each thread has a heap limit and each task a time limit, and a document that
// breaks either is refused as too complex rather than allowed to take the instance's memory or a core.
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { AppConfig } from '../../config/app-config';
import { DocumentError } from '../parsers/document-error';
import { ExpansionBudget } from '../parsers/expansion-budget';
import { OFFLINE_EMBEDDING_DIMENSIONS } from '../../models/offline-embeddings';
import type { PrepareReply, PreparedDocument } from './document-worker';

/** Built, the worker is document-worker.js beside this file; from the sources (Jest), a loader that compiles the .ts one. */
const WORKER_FILE = __filename.endsWith('.ts')
  ? join(__dirname, '..', '..', '..', 'scripts', 'document-worker-from-sources.js')
  : join(__dirname, 'document-worker.js');

/**
 * How many times its size a DOCX part's XML may take in the thread's heap, with room to spare: a 30 MB
 * text run took more than 512 MB and aborted the process (INGEST_WORKER_MEMORY_MB / 32 is 16 MB there).
 */
const XML_PART_SHARE_OF_HEAP = 32;

@Injectable()
export class DocumentWorkers implements OnModuleDestroy {
  private readonly logger = new Logger(DocumentWorkers.name);
  private readonly pool: Piscina;
  private readonly memoryMb: number;
  private readonly timeoutMs: number;

  constructor(config: AppConfig) {
    const { workerThreads, workerMemoryMb, taskTimeoutMs } = config.ingestion;
    this.memoryMb = workerMemoryMb;
    this.timeoutMs = taskTimeoutMs;
    this.pool = new Piscina({
      filename: WORKER_FILE,
      // Not the app's flags (--cpu-prof, --experimental-vm-modules under Jest): a thread takes few of them.
      execArgv: [],
      // Threads start on the first upload and stop when idle: an instance that ingests nothing holds none.
      minThreads: 0,
      maxThreads: workerThreads,
      idleTimeout: 30_000,
      resourceLimits: { maxOldGenerationSizeMb: workerMemoryMb },
    });
    // A thread that fails outside a task (it could not load, say): each task fails on its own as well.
    this.pool.on('error', (error: unknown) => this.logger.error(`An ingestion thread failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  /** Reads and chunks an uploaded file; a file that cannot be read is refused with a DocumentError. */
  async prepare(buffer: Buffer, filename: string, budget: ExpansionBudget): Promise<PreparedDocument> {
    // A copy of exactly the file (a pooled Buffer's memory holds other data), moved to the thread.
    const copy = new Uint8Array(buffer);
    const xmlPartBytes = Math.floor((this.memoryMb * 1024 * 1024) / XML_PART_SHARE_OF_HEAP);
    const reply = await this.run<PrepareReply>('prepare', { buffer: copy, filename, budget: { ...budget, xmlPartBytes } }, [copy.buffer]);
    if (!reply.ok) throw new DocumentError(reply.code, reply.message);
    return reply.document;
  }

  /** Offline embeddings (see OfflineEmbeddings), computed in a thread. */
  async embed(texts: string[]): Promise<number[][]> {
    const flat = await this.run<Float32Array>('embed', texts);
    return texts.map((_, index) => Array.from(flat.subarray(index * OFFLINE_EMBEDDING_DIMENSIONS, (index + 1) * OFFLINE_EMBEDDING_DIMENSIONS)));
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.destroy();
  }

  private async run<T>(name: 'prepare' | 'embed', task: unknown, transferList?: ArrayBuffer[]): Promise<T> {
    try {
      return (await this.pool.run(task, { name, transferList, signal: AbortSignal.timeout(this.timeoutMs) })) as T;
    } catch (error) {
      throw (name === 'prepare' && this.refusal(error)) || error;
    }
  }

  private refusal(error: unknown): DocumentError | null {
    const { code, name } = (error ?? {}) as { code?: string; name?: string };
    if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return new DocumentError('too_complex', `The document needs more than ${this.memoryMb} MB of memory to read (INGEST_WORKER_MEMORY_MB); split it or simplify it`, { cause: error });
    }
    if (name === 'AbortError' || name === 'TimeoutError') {
      return new DocumentError('too_complex', `The document could not be read within ${Math.round(this.timeoutMs / 1000)} s (INGEST_TASK_TIMEOUT_SECONDS); split it or simplify it`, { cause: error });
    }
    return null;
  }
}
