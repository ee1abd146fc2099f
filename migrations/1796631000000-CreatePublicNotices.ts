import { MigrationInterface, QueryRunner } from "typeorm";

// Projects and funds in the open (项目资金公告公示, issue 12 §1): projects get their own status
// machine (planned → approved → underway → completed → accepted, cancelled), an implementing unit,
// a period, a beneficiary-household count and the fund sources they draw on; approvals,
// allocations and acceptances are published as public notices. Generated from
// src/modules/poverty-office/poverty-office.entities.ts, then reviewed: the status column moves
// to its own enum in place (the generator wanted to add values to the shared work_status), and
// notices are a record the app role may add to but never rewrite.

const APP = "household_graph_app";

export class CreatePublicNotices1796631000000 implements MigrationInterface {
    name = 'CreatePublicNotices1796631000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."project_status" AS ENUM('planned', 'approved', 'underway', 'completed', 'accepted', 'cancelled')`);
        await queryRunner.query(`ALTER TABLE "project" ALTER COLUMN "status" TYPE "public"."project_status" USING "status"::"text"::"public"."project_status"`);
        await queryRunner.query(`ALTER TABLE "project" ADD "implementing_unit" character varying(100)`);
        await queryRunner.query(`ALTER TABLE "project" ADD "start_date" date`);
        await queryRunner.query(`ALTER TABLE "project" ADD "end_date" date`);
        await queryRunner.query(`ALTER TABLE "project" ADD "beneficiary_households" integer`);
        await queryRunner.query(`ALTER TABLE "project" ADD "fund_sources" "public"."fund_source" array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`CREATE TYPE "public"."notice_kind" AS ENUM('approval', 'allocation', 'acceptance')`);
        await queryRunner.query(`CREATE TABLE "public_notice" ("id" BIGSERIAL NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "county_code" character varying(6) COLLATE "C" NOT NULL, "project_id" bigint NOT NULL, "fund_allocation_id" bigint, "kind" "public"."notice_kind" NOT NULL, "region_code" character varying(12) COLLATE "C" NOT NULL, "project_name" character varying(200) NOT NULL, "project_kind" "public"."measure_kind" NOT NULL, "budget" numeric(12,2) NOT NULL, "amount" numeric(12,2), "allocated_total" numeric(12,2) NOT NULL, "fund_sources" "public"."fund_source" array NOT NULL, "implementing_unit" character varying(100), "period_start" date, "period_end" date, "beneficiary_households" integer, "published_on" date NOT NULL, CONSTRAINT "PK_69742227b5bc4c38c2ee4bc11da" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_public_notice_project" ON "public_notice"  ("project_id") `);
        await queryRunner.query(`CREATE INDEX "ix_public_notice_region" ON "public_notice"  ("region_code", "id") `);
        await queryRunner.query(`ALTER TABLE "public_notice" ADD CONSTRAINT "fk_public_notice_project" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "public_notice" ADD CONSTRAINT "fk_public_notice_fund_allocation" FOREIGN KEY ("fund_allocation_id") REFERENCES "fund_allocation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`DO $$
            BEGIN
                IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${APP}') THEN
                    REVOKE UPDATE, DELETE, TRUNCATE ON "public_notice" FROM "${APP}";
                END IF;
            END $$`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "public_notice" DROP CONSTRAINT "fk_public_notice_fund_allocation"`);
        await queryRunner.query(`ALTER TABLE "public_notice" DROP CONSTRAINT "fk_public_notice_project"`);
        await queryRunner.query(`DROP INDEX "public"."ix_public_notice_region"`);
        await queryRunner.query(`DROP INDEX "public"."ix_public_notice_project"`);
        await queryRunner.query(`DROP TABLE "public_notice"`);
        await queryRunner.query(`DROP TYPE "public"."notice_kind"`);
        await queryRunner.query(`ALTER TABLE "project" DROP COLUMN "fund_sources"`);
        await queryRunner.query(`ALTER TABLE "project" DROP COLUMN "beneficiary_households"`);
        await queryRunner.query(`ALTER TABLE "project" DROP COLUMN "end_date"`);
        await queryRunner.query(`ALTER TABLE "project" DROP COLUMN "start_date"`);
        await queryRunner.query(`ALTER TABLE "project" DROP COLUMN "implementing_unit"`);
        // Approved and accepted projects fall back to the nearest work status.
        await queryRunner.query(`ALTER TABLE "project" ALTER COLUMN "status" TYPE "public"."work_status" USING (CASE "status"::text WHEN 'approved' THEN 'planned' WHEN 'accepted' THEN 'completed' ELSE "status"::text END)::"public"."work_status"`);
        await queryRunner.query(`DROP TYPE "public"."project_status"`);
    }
}
