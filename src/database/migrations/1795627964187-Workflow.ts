/** The workflow's run queue: one row per ticket (the LangGraph checkpoint tables are set up by its saver). */
import { MigrationInterface, QueryRunner } from "typeorm";

export class Workflow1795627964187 implements MigrationInterface {
    name = 'Workflow1795627964187'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "workflow_runs" (
                "ticket_id" uuid NOT NULL,
                "state" character varying(16) NOT NULL,
                "resume" jsonb,
                "queued_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "locked_by" uuid,
                "lease_until" TIMESTAMP(3) WITH TIME ZONE,
                "attempts" integer NOT NULL DEFAULT '0',
                "summary" jsonb,
                "checkpoints_pruned_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_e0fe1fd70b8c9747c967a73303c" PRIMARY KEY ("ticket_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_workflow_runs_queue" ON "workflow_runs" ("state", "queued_at")
        `);
        await queryRunner.query(`
            ALTER TABLE "workflow_runs"
            ADD CONSTRAINT "FK_e0fe1fd70b8c9747c967a73303c" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "workflow_runs" DROP CONSTRAINT "FK_e0fe1fd70b8c9747c967a73303c"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_workflow_runs_queue"
        `);
        await queryRunner.query(`
            DROP TABLE "workflow_runs"
        `);
    }
}
