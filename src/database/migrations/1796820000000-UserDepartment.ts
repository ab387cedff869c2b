import { MigrationInterface, QueryRunner } from 'typeorm';

/** Staff read who asked and where they work: a person's department, optional (older accounts have none). */
export class UserDepartment1796820000000 implements MigrationInterface {
  name = 'UserDepartment1796820000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD COLUMN IF NOT EXISTS department varchar(120)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP COLUMN IF EXISTS department`);
  }
}
