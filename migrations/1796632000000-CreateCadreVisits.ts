import { MigrationInterface, QueryRunner } from "typeorm";

// 帮扶走访 visits of pairing cadres to their households (issue 12 §1). Generated from
// src/modules/poverty-office/poverty-office.entities.ts, then reviewed.

export class CreateCadreVisits1796632000000 implements MigrationInterface {
    name = 'CreateCadreVisits1796632000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."visit_kind" AS ENUM('home_visit', 'phone_call', 'meeting', 'errand')`);
        await queryRunner.query(`CREATE TABLE "cadre_visit" ("id" BIGSERIAL NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "county_code" character varying(6) COLLATE "C" NOT NULL, "household_id" bigint NOT NULL, "pairing_id" bigint NOT NULL, "visited_on" date NOT NULL, "kind" "public"."visit_kind" NOT NULL, "notes" text, CONSTRAINT "PK_88ebe38b493b01042373eaf2f92" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_cadre_visit_household" ON "cadre_visit"  ("household_id") `);
        await queryRunner.query(`CREATE INDEX "ix_cadre_visit_pairing" ON "cadre_visit"  ("pairing_id", "visited_on") `);
        await queryRunner.query(`ALTER TABLE "cadre_visit" ADD CONSTRAINT "FK_b234afd1957d83313ce0913e552" FOREIGN KEY ("household_id") REFERENCES "household"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "cadre_visit" ADD CONSTRAINT "fk_cadre_visit_pairing" FOREIGN KEY ("pairing_id") REFERENCES "pairing"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "cadre_visit" DROP CONSTRAINT "fk_cadre_visit_pairing"`);
        await queryRunner.query(`ALTER TABLE "cadre_visit" DROP CONSTRAINT "FK_b234afd1957d83313ce0913e552"`);
        await queryRunner.query(`DROP INDEX "public"."ix_cadre_visit_pairing"`);
        await queryRunner.query(`DROP INDEX "public"."ix_cadre_visit_household"`);
        await queryRunner.query(`DROP TABLE "cadre_visit"`);
        await queryRunner.query(`DROP TYPE "public"."visit_kind"`);
    }
}
