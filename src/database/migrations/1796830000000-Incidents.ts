import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Major incidents: many people's reports of one outage, grouped. A ticket belongs to at most one incident
 * (tickets.incident_id), so "linked once" holds by construction. The updates support posts are kept with
 * the incident; the resolution reaches its tickets in batches behind `resolve_after` (the last ticket id
 * done; null when nothing is left), so that a crash half-way resumes and never resolves a ticket twice.
 */
export class Incidents1796830000000 implements MigrationInterface {
  name = 'Incidents1796830000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS incidents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        status varchar(16) NOT NULL CHECK (status IN ('proposed', 'open', 'resolved', 'dismissed')),
        title varchar(200) NOT NULL,
        reasons jsonb NOT NULL DEFAULT '{}'::jsonb,
        detected_at timestamptz(3) NOT NULL DEFAULT now(),
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        opened_at timestamptz(3),
        opened_by uuid REFERENCES users (id) ON DELETE SET NULL,
        closed_at timestamptz(3),
        closed_by uuid REFERENCES users (id) ON DELETE SET NULL,
        resolution text,
        resolve_after uuid,
        dismissed_ticket_ids uuid[] NOT NULL DEFAULT '{}',
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS "IDX_incidents_status_detected" ON incidents (status, detected_at DESC)`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS "IDX_incidents_resolving" ON incidents (id) WHERE resolve_after IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS incident_updates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
        author_id uuid REFERENCES users (id) ON DELETE SET NULL,
        body text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS "IDX_incident_updates_incident" ON incident_updates (incident_id, created_at)`);
    await queryRunner.query(`ALTER TABLE tickets ADD COLUMN IF NOT EXISTS incident_id uuid REFERENCES incidents (id) ON DELETE SET NULL`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS "IDX_tickets_incident" ON tickets (incident_id, id) WHERE incident_id IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tickets DROP COLUMN IF EXISTS incident_id`);
    await queryRunner.query(`DROP TABLE IF EXISTS incident_updates`);
    await queryRunner.query(`DROP TABLE IF EXISTS incidents`);
  }
}
