import { MigrationInterface, QueryRunner } from 'typeorm';

/** The run owns the workflow's state: what it waits for (`pending`) and a fencing token per claim (`fence`). */
export class WorkflowOwnsItsState1795700000000 implements MigrationInterface {
  name = 'WorkflowOwnsItsState1795700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "workflow_runs" ADD "pending" jsonb`);
    await queryRunner.query(`ALTER TABLE "workflow_runs" ADD "fence" bigint NOT NULL DEFAULT '0'`);
    // Runs paused before this migration: their summary names the interrupt they wait on.
    await queryRunner.query(`
      UPDATE "workflow_runs" SET "pending" = ("summary"->'pending') || jsonb_build_object('id', "summary"->'pending'->>'interrupt_id', 'source', 'workflow')
      WHERE "state" = 'waiting' AND "summary"->'pending' IS NOT NULL AND jsonb_typeof("summary"->'pending') = 'object'
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "workflow_runs" DROP COLUMN "fence"`);
    await queryRunner.query(`ALTER TABLE "workflow_runs" DROP COLUMN "pending"`);
  }
}
