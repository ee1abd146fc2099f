import { MigrationInterface, QueryRunner } from "typeorm";

// 六到农家 from measures (issue 12 §1): an infrastructure measure names the utilities it provides
// and, for a village measure, the households it serves; verifying it sets those utilities on
// the village and the households. Generated from
// src/modules/poverty-office/poverty-office.entities.ts, then reviewed.

export class AddMeasureUtilities1796634000000 implements MigrationInterface {
    name = 'AddMeasureUtilities1796634000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."utility" AS ENUM('water', 'electricity', 'road', 'housing', 'network', 'environment')`);
        await queryRunner.query(`ALTER TABLE "measure" ADD "utilities" "public"."utility" array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`CREATE TABLE "measure_beneficiary" ("measure_id" bigint NOT NULL, "household_id" bigint NOT NULL, "county_code" character varying(6) COLLATE "C" NOT NULL, CONSTRAINT "pk_measure_beneficiary" PRIMARY KEY ("measure_id", "household_id"))`);
        await queryRunner.query(`CREATE INDEX "ix_measure_beneficiary_household" ON "measure_beneficiary"  ("household_id") `);
        await queryRunner.query(`ALTER TABLE "measure_beneficiary" ADD CONSTRAINT "fk_measure_beneficiary_measure" FOREIGN KEY ("measure_id") REFERENCES "measure"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "measure_beneficiary" ADD CONSTRAINT "fk_measure_beneficiary_household" FOREIGN KEY ("household_id") REFERENCES "household"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "measure_beneficiary" DROP CONSTRAINT "fk_measure_beneficiary_household"`);
        await queryRunner.query(`ALTER TABLE "measure_beneficiary" DROP CONSTRAINT "fk_measure_beneficiary_measure"`);
        await queryRunner.query(`DROP INDEX "public"."ix_measure_beneficiary_household"`);
        await queryRunner.query(`DROP TABLE "measure_beneficiary"`);
        await queryRunner.query(`ALTER TABLE "measure" DROP COLUMN "utilities"`);
        await queryRunner.query(`DROP TYPE "public"."utility"`);
    }
}
