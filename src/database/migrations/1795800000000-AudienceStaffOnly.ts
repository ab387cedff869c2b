import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What was written for staff becomes staff-only in the audit trail and on the streams: the AI suggestion's
 * workflow_update, and the error events of failures recorded before their message was split in two (they
 * carry the model's or the database's own text). New failures add a plain error event for the requester.
 */
export class AudienceStaffOnly1795800000000 implements MigrationInterface {
  name = 'AudienceStaffOnly1795800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "ticket_events" SET "staff_only" = true WHERE "type" = 'workflow_update' AND "payload"->>'change' = 'suggestion'`);
    await queryRunner.query(`UPDATE "ticket_events" SET "staff_only" = true WHERE "type" = 'error' AND NOT ("payload" ? 'internal')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Only the rows up() changed: an error event written since (its detail, marked internal) stays staff-only.
    await queryRunner.query(`UPDATE "ticket_events" SET "staff_only" = false WHERE "type" = 'workflow_update' AND "payload"->>'change' = 'suggestion'`);
    await queryRunner.query(`UPDATE "ticket_events" SET "staff_only" = false WHERE "type" = 'error' AND NOT ("payload" ? 'internal')`);
  }
}
