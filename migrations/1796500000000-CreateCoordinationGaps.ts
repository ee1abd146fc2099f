import { MigrationInterface, QueryRunner } from "typeorm";

// Coordination rules and gaps (协调规则与缺口, issue 12 §2). Generated from
// src/modules/coordination/coordination.entities.ts, then reviewed. By hand: the policy
// thresholds seeded below (national defaults under county '000000', and the demo county), and
// the grants (the app role reads and writes these tables through the default privileges of
// RestrictAppRole; it may not delete gap history).

const APP = "household_graph_app";

export class CreateCoordinationGaps1796500000000 implements MigrationInterface {
    name = 'CreateCoordinationGaps1796500000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "policy_threshold" ("county_code" character varying(6) COLLATE "C" NOT NULL, "year" smallint NOT NULL, "poverty_line" numeric(12,2) NOT NULL, "dibao_line" numeric(12,2) NOT NULL, "monitoring_factor" numeric(4,2) NOT NULL, CONSTRAINT "ck_policy_threshold_values" CHECK ("poverty_line" > 0 AND "dibao_line" > 0 AND "monitoring_factor" >= 1), CONSTRAINT "pk_policy_threshold" PRIMARY KEY ("county_code", "year"))`);
        await queryRunner.query(`CREATE TABLE "coordination_rule" ("code" character varying(40) NOT NULL, "version" smallint NOT NULL, "name_zh" character varying(40) NOT NULL, "name_en" character varying(80) NOT NULL, "severity" character varying(8) NOT NULL, "department" "public"."department" NOT NULL, CONSTRAINT "ck_coordination_rule_severity" CHECK ("severity" IN ('high', 'medium', 'low')), CONSTRAINT "pk_coordination_rule" PRIMARY KEY ("code", "version"))`);
        await queryRunner.query(`CREATE TYPE "public"."gap_status" AS ENUM('open', 'acknowledged', 'resolved')`);
        await queryRunner.query(`CREATE TABLE "coordination_gap" ("id" BIGSERIAL NOT NULL, "version" integer NOT NULL DEFAULT '1', "rule_code" character varying(40) NOT NULL, "rule_version" smallint NOT NULL, "household_id" bigint NOT NULL, "person_id" bigint, "person_key" bigint NOT NULL DEFAULT '0', "department" "public"."department" NOT NULL, "county_code" character varying(6) COLLATE "C" NOT NULL, "village_code" character varying(12) COLLATE "C" NOT NULL, "facts" jsonb NOT NULL, "status" "public"."gap_status" NOT NULL DEFAULT 'open', "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "acknowledged_at" TIMESTAMP WITH TIME ZONE, "resolved_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_coordination_gap" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_coordination_gap_county_rule" ON "coordination_gap"  ("county_code", "rule_code", "status") `);
        await queryRunner.query(`CREATE INDEX "ix_coordination_gap_village" ON "coordination_gap"  ("village_code", "id") `);
        await queryRunner.query(`CREATE INDEX "ix_coordination_gap_household" ON "coordination_gap"  ("household_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "ux_coordination_gap_live" ON "coordination_gap"  ("rule_code", "household_id", "person_key") WHERE "status" <> 'resolved'`);
        await queryRunner.query(`CREATE TABLE "coordination_gap_history" ("id" BIGSERIAL NOT NULL, "gap_id" bigint NOT NULL, "county_code" character varying(6) COLLATE "C" NOT NULL, "from_status" "public"."gap_status", "to_status" "public"."gap_status" NOT NULL, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor" character varying(128), CONSTRAINT "pk_coordination_gap_history" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_coordination_gap_history_gap" ON "coordination_gap_history"  ("gap_id", "id") `);
        await queryRunner.query(`CREATE TABLE "coordination_cursor" ("name" character varying(32) NOT NULL, "last_seq" bigint NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_coordination_cursor" PRIMARY KEY ("name"))`);
        await queryRunner.query(`ALTER TABLE "coordination_gap" ADD CONSTRAINT "fk_coordination_gap_household" FOREIGN KEY ("household_id") REFERENCES "household"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "coordination_gap" ADD CONSTRAINT "fk_coordination_gap_person" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "coordination_gap_history" ADD CONSTRAINT "fk_coordination_gap_history_gap" FOREIGN KEY ("gap_id") REFERENCES "coordination_gap"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

        // Thresholds, per-capita yuan a year. National defaults ('000000'): the poverty line at
        // current prices (about 4,000 in 2020) and a typical rural 低保 standard; the demo county
        // (431226 麻阳) its own. A county's latest row at or before the year applies, else the
        // national default's.
        await queryRunner.query(`INSERT INTO "policy_threshold" ("county_code", "year", "poverty_line", "dibao_line", "monitoring_factor") VALUES
            ('000000', 2014, 2800, 3000, 1.5), ('000000', 2020, 4000, 5000, 1.5), ('000000', 2024, 4600, 6000, 1.5),
            ('431226', 2020, 4000, 4800, 1.5), ('431226', 2024, 4600, 5640, 1.5)`);

        // Gap history is a record: the app role may add to it, never rewrite it.
        await queryRunner.query(`DO $$
            BEGIN
                IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${APP}') THEN
                    REVOKE UPDATE, DELETE, TRUNCATE ON "coordination_gap_history" FROM "${APP}";
                    REVOKE DELETE, TRUNCATE ON "coordination_gap" FROM "${APP}";
                END IF;
            END $$`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "coordination_gap_history" DROP CONSTRAINT "fk_coordination_gap_history_gap"`);
        await queryRunner.query(`ALTER TABLE "coordination_gap" DROP CONSTRAINT "fk_coordination_gap_person"`);
        await queryRunner.query(`ALTER TABLE "coordination_gap" DROP CONSTRAINT "fk_coordination_gap_household"`);
        await queryRunner.query(`DROP TABLE "coordination_cursor"`);
        await queryRunner.query(`DROP INDEX "public"."ix_coordination_gap_history_gap"`);
        await queryRunner.query(`DROP TABLE "coordination_gap_history"`);
        await queryRunner.query(`DROP INDEX "public"."ux_coordination_gap_live"`);
        await queryRunner.query(`DROP INDEX "public"."ix_coordination_gap_household"`);
        await queryRunner.query(`DROP INDEX "public"."ix_coordination_gap_village"`);
        await queryRunner.query(`DROP INDEX "public"."ix_coordination_gap_county_rule"`);
        await queryRunner.query(`DROP TABLE "coordination_gap"`);
        await queryRunner.query(`DROP TYPE "public"."gap_status"`);
        await queryRunner.query(`DROP TABLE "coordination_rule"`);
        await queryRunner.query(`DROP TABLE "policy_threshold"`);
    }
}
