import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * In-app notifications, derived from the committed trail by a projection: one row per (event, recipient,
 * kind), so that the projection applying a batch again creates nothing twice; and each user's choice of
 * which kinds they want (a kind without a row is on).
 */
export class Notifications1796810000000 implements MigrationInterface {
  name = 'Notifications1796810000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "notifications" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "event_id" bigint NOT NULL,
        "recipient_id" uuid NOT NULL,
        "kind" character varying(40) NOT NULL,
        "ticket_id" uuid NOT NULL,
        "title" character varying(200) NOT NULL,
        "text" character varying(1000) NOT NULL,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "read_at" TIMESTAMP(3) WITH TIME ZONE,
        CONSTRAINT "PK_notifications" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_notifications_event_recipient_kind" UNIQUE ("event_id", "recipient_id", "kind"),
        CONSTRAINT "FK_notifications_event" FOREIGN KEY ("event_id") REFERENCES "ticket_events"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_notifications_recipient" FOREIGN KEY ("recipient_id") REFERENCES "users"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_notifications_ticket" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE
      )
    `);
    // A user's list, newest first (keyset pages), and their unread count.
    await queryRunner.query(`CREATE INDEX "IDX_notifications_recipient_newest" ON "notifications" ("recipient_id", "created_at" DESC, "id" DESC)`);
    await queryRunner.query(`CREATE INDEX "IDX_notifications_recipient_unread" ON "notifications" ("recipient_id") WHERE "read_at" IS NULL`);
    await queryRunner.query(`
      CREATE TABLE "notification_preferences" (
        "user_id" uuid NOT NULL,
        "kind" character varying(40) NOT NULL,
        "in_app" boolean NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_notification_preferences" PRIMARY KEY ("user_id", "kind"),
        CONSTRAINT "FK_notification_preferences_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notification_preferences"`);
    await queryRunner.query(`DROP TABLE "notifications"`);
  }
}
