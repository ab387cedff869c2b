import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `Idempotency-Key` on the writes a client may need to retry: each user's keys with the answer they got,
 * kept a day (the purge finds them by `created_at`), gone with their user.
 */
export class IdempotencyKeys1796400000000 implements MigrationInterface {
  name = 'IdempotencyKeys1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "idempotency_keys" (
        "user_id" uuid NOT NULL,
        "key" character varying(255) NOT NULL,
        "fingerprint" character(64) NOT NULL,
        "status_code" smallint,
        "response" json,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_idempotency_keys" PRIMARY KEY ("user_id", "key"),
        CONSTRAINT "FK_idempotency_keys_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )
    `);
    await queryRunner.query(`CREATE INDEX "IDX_idempotency_keys_created_at" ON "idempotency_keys" ("created_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
  }
}
