import { MigrationInterface, QueryRunner } from "typeorm";

// The approved-aggregate catalog (公开统计目录, issue 9 §2, §4): entries, every version of each,
// releases and their published cells (suppressed cells carry no value). The application role gets
// read and write through the default privileges RestrictAppRole set.

export class CreateAggregateCatalog1796600000000 implements MigrationInterface {
    name = 'CreateAggregateCatalog1796600000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "aggregate_entry" ("id" BIGSERIAL NOT NULL, "code" character varying(64) NOT NULL, "status" character varying(16) NOT NULL, "version" integer NOT NULL DEFAULT '1', "region_code" character varying(12) NOT NULL, "metric" character varying(40) NOT NULL, "dimensions" text array NOT NULL, "levels" text array NOT NULL, "years" integer array NOT NULL, "description_zh" text NOT NULL, "description_en" text NOT NULL, "proposed_by" character varying(128) NOT NULL, "approved_by" character varying(128), "approved_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_aggregate_entry" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "ux_aggregate_entry_code" ON "aggregate_entry"  ("code") `);
        await queryRunner.query(`CREATE TABLE "aggregate_entry_version" ("entry_id" bigint NOT NULL, "version" integer NOT NULL, "action" character varying(16) NOT NULL, "status" character varying(16) NOT NULL, "region_code" character varying(12) NOT NULL, "metric" character varying(40) NOT NULL, "dimensions" text array NOT NULL, "levels" text array NOT NULL, "years" integer array NOT NULL, "description_zh" text NOT NULL, "description_en" text NOT NULL, "changed_by" character varying(128) NOT NULL, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_aggregate_entry_version" PRIMARY KEY ("entry_id", "version"))`);
        await queryRunner.query(`CREATE TABLE "aggregate_release" ("id" BIGSERIAL NOT NULL, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "min_cell" integer NOT NULL, "cells" integer NOT NULL, "suppressed_primary" integer NOT NULL, "suppressed_complementary" integer NOT NULL, "millis" integer NOT NULL, "reason" character varying(16) NOT NULL, CONSTRAINT "pk_aggregate_release" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "aggregate_cell" ("id" BIGSERIAL NOT NULL, "release_id" bigint NOT NULL, "entry_id" bigint NOT NULL, "entry_version" integer NOT NULL, "metric" character varying(40) NOT NULL, "year" integer NOT NULL, "level" character varying(16) NOT NULL, "region_code" character varying(12) NOT NULL, "categories" jsonb NOT NULL, "value" double precision, "suppressed" boolean NOT NULL, CONSTRAINT "pk_aggregate_cell" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_aggregate_cell_lookup" ON "aggregate_cell"  ("release_id", "entry_id", "year", "level", "region_code") `);
        await queryRunner.query(`ALTER TABLE "aggregate_entry_version" ADD CONSTRAINT "fk_aggregate_entry_version_entry" FOREIGN KEY ("entry_id") REFERENCES "aggregate_entry"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "aggregate_cell" ADD CONSTRAINT "fk_aggregate_cell_release" FOREIGN KEY ("release_id") REFERENCES "aggregate_release"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "aggregate_cell" ADD CONSTRAINT "fk_aggregate_cell_entry" FOREIGN KEY ("entry_id") REFERENCES "aggregate_entry"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "aggregate_cell" DROP CONSTRAINT "fk_aggregate_cell_entry"`);
        await queryRunner.query(`ALTER TABLE "aggregate_cell" DROP CONSTRAINT "fk_aggregate_cell_release"`);
        await queryRunner.query(`ALTER TABLE "aggregate_entry_version" DROP CONSTRAINT "fk_aggregate_entry_version_entry"`);
        await queryRunner.query(`DROP INDEX "public"."ix_aggregate_cell_lookup"`);
        await queryRunner.query(`DROP TABLE "aggregate_cell"`);
        await queryRunner.query(`DROP TABLE "aggregate_release"`);
        await queryRunner.query(`DROP TABLE "aggregate_entry_version"`);
        await queryRunner.query(`DROP INDEX "public"."ux_aggregate_entry_code"`);
        await queryRunner.query(`DROP TABLE "aggregate_entry"`);
    }

}
