import { MigrationInterface, QueryRunner } from 'typeorm';

/** Canned replies (macros): admin-managed texts with placeholders; a name is taken whatever its case. */
export class Macros1796800000001 implements MigrationInterface {
  name = 'Macros1796800000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "macros" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" character varying(100) NOT NULL,
        "body" text NOT NULL,
        "internal" boolean NOT NULL DEFAULT false,
        "resolve" boolean NOT NULL DEFAULT false,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_macros" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_macros_resolve_not_internal" CHECK (NOT ("internal" AND "resolve"))
      )
    `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_macros_name" ON "macros" (lower("name"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "macros"`);
  }
}
