/** Tickets, their comments and their event log (audit trail and SSE source), with full-text search. */
import { MigrationInterface, QueryRunner } from "typeorm";

export class Tickets1795620345919 implements MigrationInterface {
    name = 'Tickets1795620345919'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TYPE "public"."ticket_request_type" AS ENUM(
                'software_access',
                'hardware',
                'network',
                'account_access',
                'password_reset',
                'other'
            )
        `);
        await queryRunner.query(`
            CREATE TYPE "public"."ticket_category" AS ENUM(
                'access',
                'account',
                'hardware',
                'software',
                'network',
                'email',
                'security',
                'other'
            )
        `);
        await queryRunner.query(`
            CREATE TYPE "public"."ticket_priority" AS ENUM('low', 'medium', 'high', 'critical')
        `);
        await queryRunner.query(`
            CREATE TYPE "public"."ticket_urgency" AS ENUM('low', 'normal', 'urgent')
        `);
        await queryRunner.query(`
            CREATE TYPE "public"."ticket_status" AS ENUM(
                'pending',
                'in_progress',
                'waiting_for_user',
                'waiting_for_approval',
                'resolved',
                'denied',
                'escalated',
                'error'
            )
        `);
        await queryRunner.query(`
            INSERT INTO "typeorm_metadata"(
                    "database",
                    "schema",
                    "table",
                    "type",
                    "name",
                    "value"
                )
            VALUES (current_database(), $1, $2, $3, $4, $5)
        `, ["public","tickets","GENERATED_COLUMN","search_vector","to_tsvector('english', coalesce(title, '') || ' ' || coalesce(description, ''))"]);
        await queryRunner.query(`
            CREATE TABLE "tickets" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "title" character varying(200) NOT NULL,
                "description" text NOT NULL,
                "request_type" "public"."ticket_request_type" NOT NULL,
                "category" "public"."ticket_category" NOT NULL,
                "priority" "public"."ticket_priority" NOT NULL DEFAULT 'medium',
                "urgency" "public"."ticket_urgency" NOT NULL DEFAULT 'normal',
                "business_justification" text,
                "desired_completion_date" TIMESTAMP(3) WITH TIME ZONE,
                "status" "public"."ticket_status" NOT NULL DEFAULT 'pending',
                "decision" character varying(32) NOT NULL DEFAULT 'pending',
                "plan_summary" text,
                "resolution" text,
                "next_action" character varying(64) NOT NULL,
                "requester_id" uuid NOT NULL,
                "employee_id" character varying(64) NOT NULL,
                "assignee_id" uuid,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "search_vector" tsvector GENERATED ALWAYS AS (
                    to_tsvector(
                        'english',
                        coalesce(title, '') || ' ' || coalesce(description, '')
                    )
                ) STORED NOT NULL,
                CONSTRAINT "PK_343bc942ae261cf7a1377f48fd0" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_ea907f19726171bd4faef39c91" ON "tickets" ("request_type")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_143c60f935aa86982b2074fadd" ON "tickets" ("category")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_1cfb61a749963bfba02395e118" ON "tickets" ("priority")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_12b901b34113688b4786368510" ON "tickets" ("status")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_f7eb15a78bc70b5ad4771bc36f" ON "tickets" ("employee_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_dff6e2b44c9b5e177114588772" ON "tickets" ("assignee_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_tickets_updated" ON "tickets" ("updated_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_tickets_created" ON "tickets" ("created_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_tickets_requester_created" ON "tickets" ("requester_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "ticket_events" (
                "id" BIGSERIAL NOT NULL,
                "ticket_id" uuid NOT NULL,
                "type" character varying(40) NOT NULL,
                "actor_id" uuid,
                "staff_only" boolean NOT NULL DEFAULT false,
                "payload" jsonb NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_d61d07653b492eca67f9bad8ec2" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_ticket_events_ticket_id" ON "ticket_events" ("ticket_id", "id")
        `);
        await queryRunner.query(`
            CREATE TABLE "ticket_comments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "ticket_id" uuid NOT NULL,
                "author_id" uuid,
                "body" text NOT NULL,
                "internal" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_811ed3b81dd8df6b9a92058d89c" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_ticket_comments_ticket_created" ON "ticket_comments" ("ticket_id", "created_at")
        `);
        await queryRunner.query(`
            ALTER TABLE "tickets"
            ADD CONSTRAINT "FK_2a06f5cdaf003ceaa9fcf08be77" FOREIGN KEY ("requester_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "tickets"
            ADD CONSTRAINT "FK_dff6e2b44c9b5e177114588772f" FOREIGN KEY ("assignee_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_events"
            ADD CONSTRAINT "FK_9cf43c4478294faa98129c47c21" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_events"
            ADD CONSTRAINT "FK_f13e732854401f6f00cdd045f23" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_comments"
            ADD CONSTRAINT "FK_4ee48e3e18e7c3ac35152a9fb7b" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_comments"
            ADD CONSTRAINT "FK_580b2a4f5b78b556eb684f96dbe" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        // Full-text search over title and description (GET /tickets?q=); the entity cannot declare GIN.
        await queryRunner.query(`
            CREATE INDEX "IDX_tickets_search" ON "tickets" USING GIN ("search_vector")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_tickets_search"
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_comments" DROP CONSTRAINT "FK_580b2a4f5b78b556eb684f96dbe"
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_comments" DROP CONSTRAINT "FK_4ee48e3e18e7c3ac35152a9fb7b"
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_events" DROP CONSTRAINT "FK_f13e732854401f6f00cdd045f23"
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_events" DROP CONSTRAINT "FK_9cf43c4478294faa98129c47c21"
        `);
        await queryRunner.query(`
            ALTER TABLE "tickets" DROP CONSTRAINT "FK_dff6e2b44c9b5e177114588772f"
        `);
        await queryRunner.query(`
            ALTER TABLE "tickets" DROP CONSTRAINT "FK_2a06f5cdaf003ceaa9fcf08be77"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_ticket_comments_ticket_created"
        `);
        await queryRunner.query(`
            DROP TABLE "ticket_comments"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_ticket_events_ticket_id"
        `);
        await queryRunner.query(`
            DROP TABLE "ticket_events"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_tickets_requester_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_tickets_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_tickets_updated"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_dff6e2b44c9b5e177114588772"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_f7eb15a78bc70b5ad4771bc36f"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_12b901b34113688b4786368510"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_1cfb61a749963bfba02395e118"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_143c60f935aa86982b2074fadd"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_ea907f19726171bd4faef39c91"
        `);
        await queryRunner.query(`
            DROP TABLE "tickets"
        `);
        await queryRunner.query(`
            DELETE FROM "typeorm_metadata"
            WHERE "type" = $1
                AND "name" = $2
                AND "database" = current_database()
                AND "schema" = $3
                AND "table" = $4
        `, ["GENERATED_COLUMN","search_vector","public","tickets"]);
        await queryRunner.query(`
            DROP TYPE "public"."ticket_status"
        `);
        await queryRunner.query(`
            DROP TYPE "public"."ticket_urgency"
        `);
        await queryRunner.query(`
            DROP TYPE "public"."ticket_priority"
        `);
        await queryRunner.query(`
            DROP TYPE "public"."ticket_category"
        `);
        await queryRunner.query(`
            DROP TYPE "public"."ticket_request_type"
        `);
    }

}
