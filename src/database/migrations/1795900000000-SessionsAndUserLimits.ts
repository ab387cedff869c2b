import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A used refresh token names its successor (`replaced_by`), so a second tab's refresh within the grace
 * window gets the same one; per-user action counts per window, shared by every instance; and when each
 * housekeeping job last ran, so that one instance of all runs it. Users' created_at in milliseconds, for
 * keyset cursors.
 */
export class SessionsAndUserLimits1795900000000 implements MigrationInterface {
  name = 'SessionsAndUserLimits1795900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD "replaced_by" uuid`);
    // The periodic purge looks for these.
    await queryRunner.query(`CREATE INDEX "IDX_refresh_tokens_expires_at" ON "refresh_tokens" ("expires_at")`);
    await queryRunner.query(`
      CREATE TABLE "user_action_counts" (
        "user_id" uuid NOT NULL,
        "action" character varying(32) NOT NULL,
        "window_start" TIMESTAMP WITH TIME ZONE NOT NULL,
        "hits" integer NOT NULL DEFAULT 0,
        CONSTRAINT "PK_user_action_counts" PRIMARY KEY ("user_id", "action", "window_start"),
        CONSTRAINT "FK_user_action_counts_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )
    `);
    await queryRunner.query(`CREATE INDEX "IDX_user_action_counts_window_start" ON "user_action_counts" ("window_start")`);
    // Keyset cursors over users name created_at exactly, as a JavaScript date holds it.
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "created_at" TYPE TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`
      CREATE TABLE "maintenance_jobs" (
        "name" character varying(64) NOT NULL,
        "last_run_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_maintenance_jobs" PRIMARY KEY ("name")
      )
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "maintenance_jobs"`);
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "created_at" TYPE TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`DROP TABLE "user_action_counts"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_refresh_tokens_expires_at"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP COLUMN "replaced_by"`);
  }
}
