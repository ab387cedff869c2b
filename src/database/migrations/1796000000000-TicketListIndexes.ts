import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes that match what the lists and searches ask for:
 * - a support queue filters by status and reads the newest first;
 * - `q=` also matches the words as a substring of the title (ILIKE), which only a trigram index serves;
 *   without it that half of the OR read every ticket, so the full-text index went unused too;
 * - the text indexes (GIN) no longer keep a pending list of recent rows (`fastupdate`): the planner
 *   prices scanning that list so high that it reads the whole table instead, and the embedded database,
 *   which has no autovacuum, would never merge it. Each insert updates the index at once instead.
 */
export class TicketListIndexes1796000000000 implements MigrationInterface {
  name = 'TicketListIndexes1796000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`CREATE INDEX "IDX_tickets_title_trgm" ON "tickets" USING GIN ("title" gin_trgm_ops) WITH (fastupdate = off)`);
    await queryRunner.query(`CREATE INDEX "IDX_tickets_status_created" ON "tickets" ("status", "created_at", "id")`);
    for (const index of ['IDX_tickets_search', 'IDX_document_chunks_search']) {
      await queryRunner.query(`ALTER INDEX "${index}" SET (fastupdate = off)`);
      await queryRunner.query(`SELECT gin_clean_pending_list('"${index}"'::regclass)`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of ['IDX_tickets_search', 'IDX_document_chunks_search']) await queryRunner.query(`ALTER INDEX "${index}" RESET (fastupdate)`);
    await queryRunner.query(`DROP INDEX "IDX_tickets_status_created"`);
    await queryRunner.query(`DROP INDEX "IDX_tickets_title_trgm"`);
  }
}
