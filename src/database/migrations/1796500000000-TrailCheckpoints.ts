import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How far each projection of the committed trail (SLA clocks, approval plans, …) has read `ticket_events`:
 * its consumer row is locked by the instance working it, and moves in the same transaction as its work.
 */
export class TrailCheckpoints1796500000000 implements MigrationInterface {
  name = 'TrailCheckpoints1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "trail_checkpoints" (
        "consumer" character varying(64) NOT NULL,
        "last_event_id" bigint NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_trail_checkpoints" PRIMARY KEY ("consumer")
      )
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "trail_checkpoints"`);
  }
}
