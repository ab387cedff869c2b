// LangGraph's PostgresSaver stores a checkpoint as BEGIN, one INSERT per channel blob (fourteen for our
// graph's state), the checkpoint row and COMMIT: seventeen round trips for one save, on the pool every
// request shares. This saver writes the same rows with the same statements' semantics in one statement
// (a single statement is atomic, so no transaction block is needed). Reading is the library's own.
import type { RunnableConfig } from '@langchain/core/runnables';
import type { ChannelVersions, Checkpoint, CheckpointMetadata } from '@langchain/langgraph-checkpoint';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import pg from 'pg';

export class BatchedPostgresSaver extends PostgresSaver {
  private readonly putSql: string;

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
  }

  override async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Promise<RunnableConfig> {
    if (config.configurable === undefined) throw new Error('Missing "configurable" field in "config" param');
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
}
