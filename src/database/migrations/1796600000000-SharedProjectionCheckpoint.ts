import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The projections of the trail share one pass and one checkpoint (`projections`): it starts where the
 * slower of the two it replaces stood, so nothing either had not applied is skipped (both are idempotent,
 * so what the faster one applies again changes nothing).
 */
export class SharedProjectionCheckpoint1796600000000 implements MigrationInterface {
  name = 'SharedProjectionCheckpoint1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO trail_checkpoints (consumer, last_event_id)
      SELECT 'projections', min(last_event_id) FROM trail_checkpoints WHERE consumer IN ('sla', 'approval-plans') HAVING count(*) > 0
      ON CONFLICT (consumer) DO NOTHING
    `);
    await queryRunner.query(`DELETE FROM trail_checkpoints WHERE consumer IN ('sla', 'approval-plans')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO trail_checkpoints (consumer, last_event_id)
      SELECT consumer, checkpoint.last_event_id FROM trail_checkpoints AS checkpoint, unnest(ARRAY['sla', 'approval-plans']) AS consumer
       WHERE checkpoint.consumer = 'projections'
      ON CONFLICT (consumer) DO NOTHING
    `);
    await queryRunner.query(`DELETE FROM trail_checkpoints WHERE consumer = 'projections'`);
  }
}
