import { MigrationInterface, QueryRunner } from "typeorm";

// 帮扶计划 household support plans (issue 12 §1): one per household and year, grouping that
// year's measures of every department. Generated from
// src/modules/poverty-office/poverty-office.entities.ts, then reviewed.

export class CreateSupportPlans1796633000000 implements MigrationInterface {
    name = 'CreateSupportPlans1796633000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "support_plan" ("id" BIGSERIAL NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "county_code" character varying(6) COLLATE "C" NOT NULL, "household_id" bigint NOT NULL, "year" smallint NOT NULL, "goal" text NOT NULL, CONSTRAINT "PK_fb5123e3bd794ea32b74e21a244" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "ux_support_plan_household_year" ON "support_plan"  ("household_id", "year") `);
        await queryRunner.query(`ALTER TABLE "support_plan" ADD CONSTRAINT "FK_7aaee863b4a4ef7c2220d31f5d7" FOREIGN KEY ("household_id") REFERENCES "household"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "support_plan" DROP CONSTRAINT "FK_7aaee863b4a4ef7c2220d31f5d7"`);
        await queryRunner.query(`DROP INDEX "public"."ux_support_plan_household_year"`);
        await queryRunner.query(`DROP TABLE "support_plan"`);
    }
}
