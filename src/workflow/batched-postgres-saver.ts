// LangGraph's PostgresSaver stores a checkpoint as BEGIN, one INSERT per channel blob (fourteen for our
// graph's state), the checkpoint row and COMMIT: seventeen round trips for one save, on the pool every
// request shares; a task's pending writes likewise as BEGIN, one INSERT per write and COMMIT. This saver
// writes the same rows with the same statements' semantics in one statement each (a single statement is
// atomic, so no transaction block is needed). Reading is the library's own, but a run segment reads its
// thread's latest checkpoint once: LangGraph reads it for the state the engine inspects and again when the
// invocation starts, with nothing written between.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RunnableConfig } from '@langchain/core/runnables';
import {
  copyCheckpoint,
  WRITES_IDX_MAP,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointMetadata,
  type CheckpointTuple,
  type PendingWrite,
} from '@langchain/langgraph-checkpoint';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import pg from 'pg';

export class BatchedPostgresSaver extends PostgresSaver {
  /** Inside `readingOnce`: a thread's latest checkpoint as last read, kept for the next read if nothing is written first. */
  private readonly lastRead = new AsyncLocalStorage<Map<string, CheckpointTuple | undefined>>();
  private readonly putSql: string;
  private readonly putWritesSql: { upsert: string; insert: string };

  constructor(
    private readonly database: pg.Pool,
    schema: string,
  ) {
    super(database, undefined, { schema });
    const table = (name: string) => `"${schema}".${name}`;
    this.putSql = `
      WITH blobs AS (
        INSERT INTO ${table('checkpoint_blobs')} (thread_id, checkpoint_ns, channel, version, type, blob)
        SELECT $1, $2, blob.channel, blob.version, blob.type, blob.blob
          FROM unnest($7::text[], $8::text[], $9::text[], $10::bytea[]) AS blob (channel, version, type, blob)
        ON CONFLICT (thread_id, checkpoint_ns, channel, version) DO NOTHING
      )
      INSERT INTO ${table('checkpoints')} (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata)
      VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) DO UPDATE SET checkpoint = EXCLUDED.checkpoint, metadata = EXCLUDED.metadata`;
    const writes = (onConflict: string) => `
      INSERT INTO ${table('checkpoint_writes')} (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob)
      SELECT $1, $2, $3, $4, write.idx, write.channel, write.type, write.blob
        FROM unnest($5::int[], $6::text[], $7::text[], $8::bytea[]) AS write (idx, channel, type, blob)
      ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) ${onConflict}`;
    // The library's choice: special writes (errors, interrupts, resumes) replace an earlier one, others never do.
    this.putWritesSql = {
      upsert: writes('DO UPDATE SET channel = EXCLUDED.channel, type = EXCLUDED.type, blob = EXCLUDED.blob'),
      insert: writes('DO NOTHING'),
    };
  }

  /**
   * Runs `work` — one run segment, which alone writes its thread under its claim — so that a read of a
   * thread's latest checkpoint that follows another, with no write between, is served from the first.
   */
  readingOnce<T>(work: () => Promise<T>): Promise<T> {
    return this.lastRead.run(new Map(), work);
  }

  override async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const reads = this.lastRead.getStore();
    const { thread_id: threadId, checkpoint_ns: checkpointNs = '', checkpoint_id: checkpointId } = (config.configurable ?? {}) as Record<string, string | undefined>;
    if (!reads || checkpointId !== undefined) return super.getTuple(config);
    const key = `${threadId}\u0000${checkpointNs}`;
    if (reads.has(key)) {
      const kept = reads.get(key);
      reads.delete(key);
      return kept;
    }
    const tuple = await super.getTuple(config);
    // A copy: the state LangGraph builds from a tuple applies pending writes to its checkpoint in place.
    reads.set(key, tuple && { ...tuple, checkpoint: copyCheckpoint(tuple.checkpoint), metadata: tuple.metadata && { ...tuple.metadata }, pendingWrites: tuple.pendingWrites && [...tuple.pendingWrites] });
    return tuple;
  }

  override async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Promise<RunnableConfig> {
    if (config.configurable === undefined) throw new Error('Missing "configurable" field in "config" param');
    this.lastRead.getStore()?.clear();
    const { thread_id: threadId, checkpoint_ns: checkpointNs = '', checkpoint_id: parentId } = config.configurable as Record<string, string | undefined>;
    const [blobs, serializedMetadata] = await Promise.all([
      this._dumpBlobs(threadId!, checkpointNs, checkpoint.channel_values, newVersions),
      this._dumpMetadata(metadata) as Promise<unknown>,
    ]);
    await this.database.query(this.putSql, [
      threadId,
      checkpointNs,
      checkpoint.id,
      parentId,
      this._dumpCheckpoint(checkpoint),
      serializedMetadata,
      blobs.map((blob) => blob[2]),
      blobs.map((blob) => blob[3]),
      blobs.map((blob) => blob[4]),
      blobs.map((blob) => (blob[5] ? Buffer.from(blob[5].buffer, blob[5].byteOffset, blob[5].byteLength) : null)),
    ]);
    return { configurable: { thread_id: threadId, checkpoint_ns: checkpointNs, checkpoint_id: checkpoint.id } };
  }

  override async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    const { thread_id: threadId, checkpoint_ns: checkpointNs, checkpoint_id: checkpointId } = (config.configurable ?? {}) as Record<string, string>;
    this.lastRead.getStore()?.clear();
    const dumped = await this._dumpWrites(threadId, checkpointNs, checkpointId, taskId, writes);
    const upsert = writes.every(([channel]) => channel in WRITES_IDX_MAP);
    // One statement cannot upsert the same row twice (two writes of one special channel): the library's loop can.
    if (upsert && new Set(dumped.map((write) => write[4])).size < dumped.length) return super.putWrites(config, writes, taskId);
    await this.database.query(upsert ? this.putWritesSql.upsert : this.putWritesSql.insert, [
      threadId,
      checkpointNs,
      checkpointId,
      taskId,
      dumped.map((write) => write[4]),
      dumped.map((write) => write[5]),
      dumped.map((write) => write[6]),
      dumped.map((write) => Buffer.from(write[7].buffer, write[7].byteOffset, write[7].byteLength)),
    ]);
  }
}
