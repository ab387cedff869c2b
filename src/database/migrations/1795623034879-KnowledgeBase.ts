/** The knowledge base: documents, their chunks (pgvector + weighted full text) and ticket embeddings. */
import { MigrationInterface, QueryRunner } from "typeorm";

export class KnowledgeBase1795623034879 implements MigrationInterface {
    name = 'KnowledgeBase1795623034879'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "documents" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "title" character varying(300) NOT NULL,
                "filename" character varying(255) NOT NULL,
                "mime_type" character varying(100) NOT NULL,
                "sha256" character(64) NOT NULL,
                "size_bytes" integer NOT NULL,
                "characters" integer NOT NULL,
                "chunk_count" integer NOT NULL,
                "embedding_model" character varying(120) NOT NULL,
                "uploader_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_590001a33ce76f9d7712acba62d" UNIQUE ("sha256"),
                CONSTRAINT "PK_ac51aa5181ee2036f5ca482857c" PRIMARY KEY ("id")
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
        `, ["public","document_chunks","GENERATED_COLUMN","search_vector","setweight(to_tsvector('english', context), 'A') || setweight(to_tsvector('english', lead), 'C') || setweight(to_tsvector('english', text), 'D')"]);
        await queryRunner.query(`
            CREATE TABLE "document_chunks" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "document_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "text" text NOT NULL,
                "page" integer,
                "heading" character varying(300),
                "context" text NOT NULL,
                "lead" text NOT NULL,
                "embedding" vector(768) NOT NULL,
                "search_vector" tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', context), 'A') || setweight(to_tsvector('english', lead), 'C') || setweight(to_tsvector('english', text), 'D')
                ) STORED NOT NULL,
                CONSTRAINT "PK_7f9060084e9b872dbb567193978" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_document_chunks_document_position" ON "document_chunks" ("document_id", "position")
        `);
        await queryRunner.query(`
            CREATE TABLE "ticket_embeddings" (
                "ticket_id" uuid NOT NULL,
                "embedding" vector(768) NOT NULL,
                "embedding_model" character varying(120) NOT NULL,
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_69fe83cf88bc90417e9ba7561db" PRIMARY KEY ("ticket_id")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "tickets"
            ADD "suggestion" jsonb
        `);
        await queryRunner.query(`
            ALTER TABLE "documents"
            ADD CONSTRAINT "FK_27c5610c1cd91c780af8ea85e38" FOREIGN KEY ("uploader_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "document_chunks"
            ADD CONSTRAINT "FK_b371ff8bc1e4f65fc3d01420be5" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_embeddings"
            ADD CONSTRAINT "FK_69fe83cf88bc90417e9ba7561db" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_document_chunks_search" ON "document_chunks" USING GIN ("search_vector")
        `);
        // Approximate nearest-neighbour indexes on a real server. On the embedded database (PGlite) an
        // HNSW insert costs ~24 ms a row while an exact scan of thousands of chunks takes milliseconds,
        // so the embedded database scans (exact results, fast ingestion); see the README.
        const [{ version }] = await queryRunner.query(`SELECT version() AS version`);
        if (!String(version).includes("PGlite")) {
            await queryRunner.query(`
                CREATE INDEX "IDX_document_chunks_embedding" ON "document_chunks" USING hnsw ("embedding" vector_cosine_ops)
            `);
            await queryRunner.query(`
                CREATE INDEX "IDX_ticket_embeddings_embedding" ON "ticket_embeddings" USING hnsw ("embedding" vector_cosine_ops)
            `);
        }
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX IF EXISTS "public"."IDX_ticket_embeddings_embedding"`);
        await queryRunner.query(`DROP INDEX IF EXISTS "public"."IDX_document_chunks_embedding"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_document_chunks_search"`);
        await queryRunner.query(`
            ALTER TABLE "ticket_embeddings" DROP CONSTRAINT "FK_69fe83cf88bc90417e9ba7561db"
        `);
        await queryRunner.query(`
            ALTER TABLE "document_chunks" DROP CONSTRAINT "FK_b371ff8bc1e4f65fc3d01420be5"
        `);
        await queryRunner.query(`
            ALTER TABLE "documents" DROP CONSTRAINT "FK_27c5610c1cd91c780af8ea85e38"
        `);
        await queryRunner.query(`
            ALTER TABLE "tickets" DROP COLUMN "suggestion"
        `);
        await queryRunner.query(`
            DROP TABLE "ticket_embeddings"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_document_chunks_document_position"
        `);
        await queryRunner.query(`
            DROP TABLE "document_chunks"
        `);
        await queryRunner.query(`
            DELETE FROM "typeorm_metadata"
            WHERE "type" = $1
                AND "name" = $2
                AND "database" = current_database()
                AND "schema" = $3
                AND "table" = $4
        `, ["GENERATED_COLUMN","search_vector","public","document_chunks"]);
        await queryRunner.query(`
            DROP TABLE "documents"
        `);
    }

}
