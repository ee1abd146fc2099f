import { MigrationInterface, QueryRunner } from "typeorm";

// Procedures with public notice (识别/退出/防返贫监测纳入, issue 12 §4). Generated from
// src/modules/procedures/procedure.entities.ts, then reviewed: the second CREATE TYPE of the
// shared "procedure_step" enum removed (TypeORM emits one per table). By hand: the grants (the app
// role reads and writes these tables through the default privileges of RestrictAppRole; a step
// taken is a record, never rewritten, and procedures and objections are never deleted by it).

const APP = "household_graph_app";

export class CreateProcedures1796640000000 implements MigrationInterface {
    name = 'CreateProcedures1796640000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."procedure_kind" AS ENUM('identification', 'exit', 'monitoring')`);
        await queryRunner.query(`CREATE TYPE "public"."monitoring_subject" AS ENUM('exited_unstable', 'at_risk', 'sudden_hardship')`);
        await queryRunner.query(`CREATE TYPE "public"."procedure_step" AS ENUM('application', 'village_review', 'village_notice', 'township_audit', 'county_approval', 'announcement')`);
        await queryRunner.query(`CREATE TYPE "public"."procedure_status" AS ENUM('open', 'completed', 'rejected')`);
        await queryRunner.query(`CREATE TABLE "procedure" ("id" BIGSERIAL NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "county_code" character varying(6) COLLATE "C" NOT NULL, "household_id" bigint NOT NULL, "kind" "public"."procedure_kind" NOT NULL, "subject_type" "public"."monitoring_subject", "year" smallint NOT NULL, "main_cause" character varying(32), "step" "public"."procedure_step" NOT NULL, "status" "public"."procedure_status" NOT NULL DEFAULT 'open', "applied_on" date NOT NULL, "notice_starts_on" date, "notice_ends_on" date, "notice_text" text, "announcement_text" text, "closed_on" date, CONSTRAINT "ck_procedure_notice" CHECK ("notice_ends_on" IS NULL OR "notice_ends_on" >= "notice_starts_on"), CONSTRAINT "ck_procedure_subject" CHECK (("kind" = 'monitoring') = ("subject_type" IS NOT NULL)), CONSTRAINT "PK_9888785b528492e7539d96e3894" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_procedure_county_step" ON "procedure"  ("county_code", "step", "id") `);
        await queryRunner.query(`CREATE INDEX "ix_procedure_household" ON "procedure"  ("household_id", "id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "ux_procedure_open_household" ON "procedure"  ("household_id") WHERE "status" = 'open'`);
        await queryRunner.query(`CREATE TABLE "procedure_step_record" ("id" BIGSERIAL NOT NULL, "procedure_id" bigint NOT NULL, "household_id" bigint NOT NULL, "county_code" character varying(6) COLLATE "C" NOT NULL, "step" "public"."procedure_step" NOT NULL, "actor" character varying(128) NOT NULL, "actor_role" character varying(16) NOT NULL, "actor_department" "public"."department", "actor_scope" character varying(12) COLLATE "C" NOT NULL, "occurred_on" date NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "comment" text NOT NULL, CONSTRAINT "pk_procedure_step_record" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "ux_procedure_step_record_step" ON "procedure_step_record"  ("procedure_id", "step") `);
        await queryRunner.query(`CREATE TYPE "public"."objection_status" AS ENUM('open', 'dismissed', 'upheld')`);
        await queryRunner.query(`CREATE TABLE "procedure_objection" ("id" BIGSERIAL NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "county_code" character varying(6) COLLATE "C" NOT NULL, "household_id" bigint NOT NULL, "procedure_id" bigint NOT NULL, "status" "public"."objection_status" NOT NULL DEFAULT 'open', "content" text NOT NULL, "raised_by" character varying(128) NOT NULL, "raised_role" character varying(16) NOT NULL, "raised_on" date NOT NULL, "resolved_by" character varying(128), "resolved_role" character varying(16), "resolved_on" date, "resolution" text, CONSTRAINT "PK_7a9c0eb95f2587497f6fd0a40c4" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_procedure_objection_procedure" ON "procedure_objection"  ("procedure_id", "id") `);
        await queryRunner.query(`ALTER TABLE "procedure" ADD CONSTRAINT "FK_4d79f4770e387f2c2aee3c75acc" FOREIGN KEY ("household_id") REFERENCES "household"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "procedure_step_record" ADD CONSTRAINT "fk_procedure_step_record_procedure" FOREIGN KEY ("procedure_id") REFERENCES "procedure"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "procedure_objection" ADD CONSTRAINT "FK_e71d7981b0742ed2b0edcd44a02" FOREIGN KEY ("household_id") REFERENCES "household"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "procedure_objection" ADD CONSTRAINT "fk_procedure_objection_procedure" FOREIGN KEY ("procedure_id") REFERENCES "procedure"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

        await queryRunner.query(`DO $$
            BEGIN
                IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${APP}') THEN
                    REVOKE UPDATE, DELETE, TRUNCATE ON "procedure_step_record" FROM "${APP}";
                    REVOKE DELETE, TRUNCATE ON "procedure", "procedure_objection" FROM "${APP}";
                END IF;
            END $$`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "procedure_objection" DROP CONSTRAINT "fk_procedure_objection_procedure"`);
        await queryRunner.query(`ALTER TABLE "procedure_objection" DROP CONSTRAINT "FK_e71d7981b0742ed2b0edcd44a02"`);
        await queryRunner.query(`ALTER TABLE "procedure_step_record" DROP CONSTRAINT "fk_procedure_step_record_procedure"`);
        await queryRunner.query(`ALTER TABLE "procedure" DROP CONSTRAINT "FK_4d79f4770e387f2c2aee3c75acc"`);
        await queryRunner.query(`DROP INDEX "public"."ix_procedure_objection_procedure"`);
        await queryRunner.query(`DROP TABLE "procedure_objection"`);
        await queryRunner.query(`DROP TYPE "public"."objection_status"`);
        await queryRunner.query(`DROP INDEX "public"."ux_procedure_step_record_step"`);
        await queryRunner.query(`DROP TABLE "procedure_step_record"`);
        await queryRunner.query(`DROP INDEX "public"."ux_procedure_open_household"`);
        await queryRunner.query(`DROP INDEX "public"."ix_procedure_household"`);
        await queryRunner.query(`DROP INDEX "public"."ix_procedure_county_step"`);
        await queryRunner.query(`DROP TABLE "procedure"`);
        await queryRunner.query(`DROP TYPE "public"."procedure_status"`);
        await queryRunner.query(`DROP TYPE "public"."procedure_step"`);
        await queryRunner.query(`DROP TYPE "public"."monitoring_subject"`);
        await queryRunner.query(`DROP TYPE "public"."procedure_kind"`);
    }

}
