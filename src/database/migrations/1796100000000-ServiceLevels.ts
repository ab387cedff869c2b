import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Service levels: calendars of working time, versioned policies (one is the default, so a fresh install has
 * service levels), each ticket's metrics as last evaluated (for the queue's filters and its order by due
 * time), and the durable timers that fire warnings and breaches once, whichever instance sees them first.
 */
export class ServiceLevels1796100000000 implements MigrationInterface {
  name = 'ServiceLevels1796100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "sla_calendars" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" character varying(100) NOT NULL,
        "time_zone" character varying(64) NOT NULL,
        "working_hours" jsonb NOT NULL,
        "holidays" jsonb NOT NULL DEFAULT '[]',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_sla_calendars" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_sla_calendars_name" UNIQUE ("name")
      )
    `);
    // A policy is a line of versions: a change adds a version and leaves the old ones as they were.
    await queryRunner.query(`
      CREATE TABLE "sla_policies" (
        "policy_id" uuid NOT NULL,
        "version" integer NOT NULL,
        "name" character varying(100) NOT NULL,
        "calendar_id" uuid,
        "targets" jsonb NOT NULL,
        "pause_statuses" text[] NOT NULL,
        "stop_statuses" text[] NOT NULL,
        "warning_thresholds" double precision[] NOT NULL,
        "first_response" text[] NOT NULL,
        "is_current" boolean NOT NULL DEFAULT true,
        "is_default" boolean NOT NULL DEFAULT false,
        "created_by" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_sla_policies" PRIMARY KEY ("policy_id", "version"),
        CONSTRAINT "FK_sla_policies_calendar" FOREIGN KEY ("calendar_id") REFERENCES "sla_calendars"("id") ON DELETE RESTRICT
      )
    `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_sla_policies_current" ON "sla_policies" ("policy_id") WHERE "is_current"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_sla_policies_one_default" ON "sla_policies" ((true)) WHERE "is_current" AND "is_default"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_sla_policies_current_name" ON "sla_policies" ("name") WHERE "is_current"`);
    await queryRunner.query(`
      INSERT INTO "sla_policies" ("policy_id", "version", "name", "calendar_id", "targets", "pause_statuses", "stop_statuses", "warning_thresholds", "first_response", "is_default")
      VALUES (gen_random_uuid(), 1, 'Standard', NULL,
        '{"critical":{"first_response":"PT30M","resolution":"PT4H"},"high":{"first_response":"PT1H","resolution":"PT8H"},"medium":{"first_response":"PT4H","resolution":"P2D"},"low":{"first_response":"PT8H","resolution":"P5D"}}',
        '{waiting_for_user,waiting_for_approval}', '{resolved,denied}', '{0.5,0.8}', '{staff_comment,staff_decision,staff_question}', true)
    `);
    await queryRunner.query(`
      CREATE TABLE "ticket_slas" (
        "ticket_id" uuid NOT NULL,
        "metric" character varying(20) NOT NULL,
        "policy_id" uuid NOT NULL,
        "policy_version" integer NOT NULL,
        "state" character varying(10) NOT NULL,
        "consumed_seconds" integer NOT NULL,
        "target_seconds" integer NOT NULL,
        "due_at" TIMESTAMP WITH TIME ZONE,
        "met_at" TIMESTAMP WITH TIME ZONE,
        "breached_at" TIMESTAMP WITH TIME ZONE,
        "evaluated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_ticket_slas" PRIMARY KEY ("ticket_id", "metric"),
        CONSTRAINT "FK_ticket_slas_ticket" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE
      )
    `);
    // The queue's order (nearest due first) and its at-risk filter read running metrics by due time.
    await queryRunner.query(`CREATE INDEX "IDX_ticket_slas_running_due" ON "ticket_slas" ("due_at") WHERE "state" = 'running'`);
    await queryRunner.query(`
      CREATE TABLE "sla_timers" (
        "id" bigserial NOT NULL,
        "ticket_id" uuid NOT NULL,
        "metric" character varying(20) NOT NULL,
        "kind" character varying(16) NOT NULL,
        "threshold" double precision NOT NULL,
        "due_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "fired_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_sla_timers" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_sla_timers_once" UNIQUE ("ticket_id", "metric", "kind", "threshold"),
        CONSTRAINT "FK_sla_timers_ticket" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE
      )
    `);
    await queryRunner.query(`CREATE INDEX "IDX_sla_timers_due" ON "sla_timers" ("due_at") WHERE "fired_at" IS NULL`);
    // The ticket's summary of its metrics, for the list's sla= filter and its sort by the nearest due time.
    await queryRunner.query(`ALTER TABLE "tickets" ADD "sla_state" character varying(10)`);
    await queryRunner.query(`ALTER TABLE "tickets" ADD "sla_due_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`CREATE INDEX "IDX_tickets_sla_due" ON "tickets" ((coalesce("sla_due_at", 'infinity'::timestamptz)), "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_tickets_sla_state" ON "tickets" ("sla_state", "created_at", "id") WHERE "sla_state" IN ('at_risk', 'breached')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_tickets_sla_state"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_tickets_sla_due"`);
    await queryRunner.query(`ALTER TABLE "tickets" DROP COLUMN "sla_due_at"`);
    await queryRunner.query(`ALTER TABLE "tickets" DROP COLUMN "sla_state"`);
    await queryRunner.query(`DROP TABLE "sla_timers"`);
    await queryRunner.query(`DROP TABLE "ticket_slas"`);
    await queryRunner.query(`DROP TABLE "sla_policies"`);
    await queryRunner.query(`DROP TABLE "sla_calendars"`);
  }
}
