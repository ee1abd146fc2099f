import { MigrationInterface, QueryRunner } from "typeorm";

// Bulk imports (导入批次, issue 8 §3–§5): the batch record (who, which key and content, counts),
// its rejected rows, and the row changes its audit record's digest covers. The app role gets
// its grants from the default privileges of RestrictAppRole1795700000000.

export class CreateImportBatches1796100000000 implements MigrationInterface {
    name = 'CreateImportBatches1796100000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "import_batch" ("id" BIGSERIAL NOT NULL, "department" character varying(32) NOT NULL, "kind" character varying(64) NOT NULL, "batch_key" character varying(128) NOT NULL, "content_digest" character(64) NOT NULL, "change_digest" character(64) NOT NULL, "subject" character varying(128) NOT NULL, "role" character varying(16) NOT NULL, "scope" character varying(12) COLLATE "C" NOT NULL, "mode" character varying(16) NOT NULL, "status" character varying(16) NOT NULL, "encoding" character varying(32) NOT NULL, "bom" boolean NOT NULL DEFAULT false, "row_count" integer NOT NULL, "inserted" integer NOT NULL, "updated" integer NOT NULL, "unchanged" integer NOT NULL, "rejected" integer NOT NULL, "request_id" character varying(64) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_import_batch_status" CHECK ("status" IN ('applied', 'rejected')), CONSTRAINT "ck_import_batch_mode" CHECK ("mode" IN ('all_or_nothing', 'apply_valid')), CONSTRAINT "pk_import_batch" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_import_batch_department" ON "import_batch"  ("department", "id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "ux_import_batch_key" ON "import_batch"  ("department", "scope", "batch_key") `);
        await queryRunner.query(`CREATE TABLE "import_reject" ("id" BIGSERIAL NOT NULL, "batch_id" bigint NOT NULL, "row_number" integer NOT NULL, "column_name" character varying(64), "code" character varying(32) NOT NULL, "message" text NOT NULL, "message_zh" text NOT NULL, CONSTRAINT "pk_import_reject" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_import_reject_batch" ON "import_reject"  ("batch_id", "row_number") `);
        await queryRunner.query(`CREATE TABLE "import_row_change" ("batch_id" bigint NOT NULL, "row_number" integer NOT NULL, "entity_id" bigint NOT NULL, "change" character varying(8) NOT NULL, "fields" text array NOT NULL, CONSTRAINT "ck_import_row_change_change" CHECK ("change" IN ('insert', 'update')), CONSTRAINT "pk_import_row_change" PRIMARY KEY ("batch_id", "row_number"))`);
        await queryRunner.query(`ALTER TABLE "import_reject" ADD CONSTRAINT "fk_import_reject_batch" FOREIGN KEY ("batch_id") REFERENCES "import_batch"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "import_row_change" ADD CONSTRAINT "fk_import_row_change_batch" FOREIGN KEY ("batch_id") REFERENCES "import_batch"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "import_row_change" DROP CONSTRAINT "fk_import_row_change_batch"`);
        await queryRunner.query(`ALTER TABLE "import_reject" DROP CONSTRAINT "fk_import_reject_batch"`);
        await queryRunner.query(`DROP TABLE "import_row_change"`);
        await queryRunner.query(`DROP INDEX "public"."ix_import_reject_batch"`);
        await queryRunner.query(`DROP TABLE "import_reject"`);
        await queryRunner.query(`DROP INDEX "public"."ux_import_batch_key"`);
        await queryRunner.query(`DROP INDEX "public"."ix_import_batch_department"`);
        await queryRunner.query(`DROP TABLE "import_batch"`);
    }
}
