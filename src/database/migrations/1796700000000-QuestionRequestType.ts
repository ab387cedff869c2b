import { MigrationInterface, QueryRunner } from 'typeorm';

/** A request type for how-to questions, the commonest kind of request, which had to be filed as "other". */
export class QuestionRequestType1796700000000 implements MigrationInterface {
  name = 'QuestionRequestType1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE ticket_request_type ADD VALUE IF NOT EXISTS 'question' BEFORE 'other'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // PostgreSQL cannot drop an enum value; the questions become "other" and the value stays, unused.
    await queryRunner.query(`UPDATE tickets SET request_type = 'other' WHERE request_type = 'question'`);
  }
}
