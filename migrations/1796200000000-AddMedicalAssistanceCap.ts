import { MigrationInterface, QueryRunner } from "typeorm";

// 医疗救助年度封顶 (issue 8 §1): a person's medical-assistance cap for a year and how much of it is
// used, one record per person and year (the unique index is the judge; the API names the year).
// Declared in src/modules/health/health.facets.ts; the remaining amount is computed on read.
// Generated from the entity (MedicalAssistanceCap), reviewed: named indexes, ON DELETE CASCADE
// with the household and the person, as every facet.

export class AddMedicalAssistanceCap1796200000000 implements MigrationInterface {
    name = 'AddMedicalAssistanceCap1796200000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "medical_assistance_cap" ("id" BIGSERIAL NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "county_code" character varying(6) COLLATE "C" NOT NULL, "household_id" bigint NOT NULL, "person_id" bigint NOT NULL, "year" smallint NOT NULL, "cap_amount" numeric(12,2) NOT NULL, "used_amount" numeric(12,2) NOT NULL, CONSTRAINT "PK_f5ac33c100893d26c92eddbdbe5" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_medical_assistance_cap_household" ON "medical_assistance_cap"  ("household_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "ux_medical_assistance_cap_person_year" ON "medical_assistance_cap"  ("person_id", "year") `);
        await queryRunner.query(`ALTER TABLE "medical_assistance_cap" ADD CONSTRAINT "FK_58e80e46f9528bb89aed875a10e" FOREIGN KEY ("household_id") REFERENCES "household"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "medical_assistance_cap" ADD CONSTRAINT "FK_4aa15caa4b23210f6700f791c1d" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "medical_assistance_cap" DROP CONSTRAINT "FK_4aa15caa4b23210f6700f791c1d"`);
        await queryRunner.query(`ALTER TABLE "medical_assistance_cap" DROP CONSTRAINT "FK_58e80e46f9528bb89aed875a10e"`);
        await queryRunner.query(`DROP INDEX "public"."ux_medical_assistance_cap_person_year"`);
        await queryRunner.query(`DROP INDEX "public"."ix_medical_assistance_cap_household"`);
        await queryRunner.query(`DROP TABLE "medical_assistance_cap"`);
    }
}
