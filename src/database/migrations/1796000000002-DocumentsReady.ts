import { MigrationInterface, QueryRunner } from 'typeorm';

/** Documents are stored in short steps and become visible when the last chunk is in: `ready`. */
export class DocumentsReady1796000000002 implements MigrationInterface {
  name = 'DocumentsReady1796000000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Every document stored so far was stored whole, in one transaction.
    await queryRunner.query(`ALTER TABLE "documents" ADD "ready" boolean NOT NULL DEFAULT true`);
    await queryRunner.query(`ALTER TABLE "documents" ALTER COLUMN "ready" SET DEFAULT false`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "documents" WHERE NOT "ready"`);
    await queryRunner.query(`ALTER TABLE "documents" DROP COLUMN "ready"`);
  }
}
