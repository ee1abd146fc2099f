import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Region rollups (RegionSummary) count households by status and main cause over a range of
 * village codes, and join their ids to the department tables. With every column they read in
 * the index those are index-only scans; the plain village-code index is its leading prefix,
 * so it goes.
 */
export class AddHouseholdRollupIndex1795600000000 implements MigrationInterface {
  name = 'AddHouseholdRollupIndex1795600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_household_village_rollup" ON "household" ("village_code", "status", "main_cause", "id")`);
    await queryRunner.query(`DROP INDEX "public"."ix_household_village_code"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_household_village_code" ON "household" ("village_code")`);
    await queryRunner.query(`DROP INDEX "public"."ix_household_village_rollup"`);
  }
}
