import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files attached to tickets (screenshots, logs, PDFs), their bytes in the row: gone with their ticket,
 * listed per ticket in the order they came.
 */
export class TicketAttachments1796800000000 implements MigrationInterface {
  name = 'TicketAttachments1796800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "ticket_attachments" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "ticket_id" uuid NOT NULL,
        "uploader_id" uuid NOT NULL,
        "filename" character varying(255) NOT NULL,
        "content_type" character varying(100) NOT NULL,
        "size_bytes" integer NOT NULL,
        "content" bytea NOT NULL,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_ticket_attachments" PRIMARY KEY ("id"),
        CONSTRAINT "FK_ticket_attachments_ticket" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_ticket_attachments_uploader" FOREIGN KEY ("uploader_id") REFERENCES "users"("id")
      )
    `);
    await queryRunner.query(`CREATE INDEX "IDX_ticket_attachments_ticket_created" ON "ticket_attachments" ("ticket_id", "created_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "ticket_attachments"`);
  }
}
