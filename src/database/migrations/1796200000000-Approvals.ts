import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Approvals that expire: each time the workflow pauses for an approval, a request row bound to the plan it
 * shows (a hash), with its due time, reminders and what happens on expiry — taken from the default SLA
 * policy's approval settings, per request type. The row's state moves once, by compare-and-set, so a
 * decision and an expiry racing each other are applied once. Delegations hand a support user's approvals
 * to another for a period.
 */
export class Approvals1796200000000 implements MigrationInterface {
  name = 'Approvals1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "sla_policies" ADD "approvals" jsonb NOT NULL
        DEFAULT '{"default":{"due":"PT8H","reminders":["PT4H"],"on_expiry":"escalate"},"request_types":{}}'
    `);
    await queryRunner.query(`
      CREATE TABLE "approvals" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "ticket_id" uuid NOT NULL,
        "pending_id" character varying(100) NOT NULL,
        "state" character varying(12) NOT NULL DEFAULT 'pending',
        "plan" jsonb NOT NULL,
        "plan_hash" character(64) NOT NULL,
        "policy_id" uuid,
        "policy_version" integer,
        "on_expiry" character varying(10) NOT NULL,
        "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "due_at" TIMESTAMP WITH TIME ZONE,
        "reminder_times" TIMESTAMP WITH TIME ZONE[] NOT NULL DEFAULT '{}',
        "reminders_sent" integer NOT NULL DEFAULT 0,
        "next_timer_at" TIMESTAMP WITH TIME ZONE,
        "decided_at" TIMESTAMP WITH TIME ZONE,
        "decided_by" uuid,
        CONSTRAINT "PK_approvals" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_approvals_state" CHECK ("state" IN ('pending', 'approved', 'denied', 'expired', 'superseded', 'closed')),
        CONSTRAINT "CHK_approvals_on_expiry" CHECK ("on_expiry" IN ('escalate', 'deny', 'approve')),
        CONSTRAINT "FK_approvals_ticket" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_approvals_decided_by" FOREIGN KEY ("decided_by") REFERENCES "users"("id") ON DELETE SET NULL
      )
    `);
    // One open request per ticket; the timers look for the next one due.
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_approvals_pending_ticket" ON "approvals" ("ticket_id") WHERE "state" = 'pending'`);
    await queryRunner.query(`CREATE INDEX "IDX_approvals_next_timer" ON "approvals" ("next_timer_at") WHERE "state" = 'pending'`);
    await queryRunner.query(`CREATE INDEX "IDX_approvals_ticket" ON "approvals" ("ticket_id", "requested_at")`);
    await queryRunner.query(`
      CREATE TABLE "approval_delegations" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "delegator_id" uuid NOT NULL,
        "delegate_id" uuid NOT NULL,
        "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_approval_delegations" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_approval_delegations_period" CHECK ("ends_at" > "starts_at"),
        CONSTRAINT "CHK_approval_delegations_other" CHECK ("delegator_id" <> "delegate_id"),
        CONSTRAINT "FK_approval_delegations_delegator" FOREIGN KEY ("delegator_id") REFERENCES "users"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_approval_delegations_delegate" FOREIGN KEY ("delegate_id") REFERENCES "users"("id") ON DELETE CASCADE
      )
    `);
    await queryRunner.query(`CREATE INDEX "IDX_approval_delegations_delegate" ON "approval_delegations" ("delegate_id", "ends_at")`);
    await queryRunner.query(`CREATE INDEX "IDX_approval_delegations_delegator" ON "approval_delegations" ("delegator_id", "ends_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "approval_delegations"`);
    await queryRunner.query(`DROP TABLE "approvals"`);
    await queryRunner.query(`ALTER TABLE "sla_policies" DROP COLUMN "approvals"`);
  }
}
