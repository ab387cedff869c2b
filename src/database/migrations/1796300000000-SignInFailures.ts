import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed sign-ins per account (by normalised email, known or not), counted across addresses and instances:
 * past a few, the account's sign-ins wait — a wait that doubles per further failure, up to a cap — and the
 * row is forgotten a while after the last failure (the purge looks for `forget_at`).
 */
export class SignInFailures1796300000000 implements MigrationInterface {
  name = 'SignInFailures1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "sign_in_failures" (
        "email" character varying(320) NOT NULL,
        "failures" integer NOT NULL,
        "blocked_until" TIMESTAMP WITH TIME ZONE,
        "forget_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_sign_in_failures" PRIMARY KEY ("email")
      )
    `);
    await queryRunner.query(`CREATE INDEX "IDX_sign_in_failures_forget_at" ON "sign_in_failures" ("forget_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "sign_in_failures"`);
  }
}
