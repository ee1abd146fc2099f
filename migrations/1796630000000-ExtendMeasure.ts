import { MigrationInterface, QueryRunner } from "typeorm";

// Measures (帮扶措施, issue 12 §1): a measure is for one household or one village, names its
// responsible unit, evidence and fund allocation, and records who completed and who verified it.
// Generated from src/modules/poverty-office/poverty-office.entities.ts, then reviewed: making
// household_id nullable needs no index or foreign-key rebuild (the generator drops and recreates
// both), so that is done in place.

export class ExtendMeasure1796630000000 implements MigrationInterface {
    name = 'ExtendMeasure1796630000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "measure" ADD "village_code" character varying(12) COLLATE "C"`);
        await queryRunner.query(`ALTER TABLE "measure" ADD "responsible_unit" character varying(100)`);
        await queryRunner.query(`ALTER TABLE "measure" ADD "evidence" text`);
        await queryRunner.query(`ALTER TABLE "measure" ADD "fund_allocation_id" bigint`);
        await queryRunner.query(`ALTER TABLE "measure" ADD "completed_by" character varying(128)`);
        await queryRunner.query(`ALTER TABLE "measure" ADD "completed_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "measure" ADD "verified_by" character varying(128)`);
        await queryRunner.query(`ALTER TABLE "measure" ADD "verified_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "measure" ALTER COLUMN "household_id" DROP NOT NULL`);
        await queryRunner.query(`CREATE INDEX "ix_measure_fund_allocation" ON "measure"  ("fund_allocation_id") `);
        await queryRunner.query(`CREATE INDEX "ix_measure_village" ON "measure"  ("village_code", "year") `);
        await queryRunner.query(`ALTER TABLE "measure" ADD CONSTRAINT "ck_measure_verified" CHECK ("verified_at" IS NULL OR ("status" = 'completed' AND "completed_at" IS NOT NULL))`);
        await queryRunner.query(`ALTER TABLE "measure" ADD CONSTRAINT "ck_measure_target" CHECK (("household_id" IS NULL) <> ("village_code" IS NULL))`);
        await queryRunner.query(`ALTER TABLE "measure" ADD CONSTRAINT "fk_measure_village" FOREIGN KEY ("village_code") REFERENCES "village"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "measure" ADD CONSTRAINT "fk_measure_fund_allocation" FOREIGN KEY ("fund_allocation_id") REFERENCES "fund_allocation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "measure" DROP CONSTRAINT "fk_measure_fund_allocation"`);
        await queryRunner.query(`ALTER TABLE "measure" DROP CONSTRAINT "fk_measure_village"`);
        await queryRunner.query(`ALTER TABLE "measure" DROP CONSTRAINT "ck_measure_target"`);
        await queryRunner.query(`ALTER TABLE "measure" DROP CONSTRAINT "ck_measure_verified"`);
        await queryRunner.query(`DROP INDEX "public"."ix_measure_village"`);
        await queryRunner.query(`DROP INDEX "public"."ix_measure_fund_allocation"`);
        // Village measures have no household: they cannot survive the old shape.
        await queryRunner.query(`DELETE FROM "measure" WHERE "household_id" IS NULL`);
        await queryRunner.query(`ALTER TABLE "measure" ALTER COLUMN "household_id" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "measure" DROP COLUMN "verified_at"`);
        await queryRunner.query(`ALTER TABLE "measure" DROP COLUMN "verified_by"`);
        await queryRunner.query(`ALTER TABLE "measure" DROP COLUMN "completed_at"`);
        await queryRunner.query(`ALTER TABLE "measure" DROP COLUMN "completed_by"`);
        await queryRunner.query(`ALTER TABLE "measure" DROP COLUMN "fund_allocation_id"`);
        await queryRunner.query(`ALTER TABLE "measure" DROP COLUMN "evidence"`);
        await queryRunner.query(`ALTER TABLE "measure" DROP COLUMN "responsible_unit"`);
        await queryRunner.query(`ALTER TABLE "measure" DROP COLUMN "village_code"`);
    }
}
