import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A request filed about an earlier one, after replies to it no longer reopen it: the link staff follow to
 * the history. Deleting the earlier ticket leaves the follow-up standing, unlinked.
 */
export class FollowUpRequests1796820100000 implements MigrationInterface {
  name = 'FollowUpRequests1796820100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tickets ADD COLUMN IF NOT EXISTS follow_up_of uuid REFERENCES tickets (id) ON DELETE SET NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tickets DROP COLUMN IF EXISTS follow_up_of`);
  }
}
