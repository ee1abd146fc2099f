import { MigrationInterface, QueryRunner } from "typeorm";

// Saved report definitions (已保存报表, issue 9 §1), one per owner and name. The application
// role gets read and write on the table through the default privileges RestrictAppRole set.

export class CreateSavedReport1796400000000 implements MigrationInterface {
    name = 'CreateSavedReport1796400000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "saved_report" ("id" BIGSERIAL NOT NULL, "owner_subject" character varying(128) NOT NULL, "name" character varying(100) NOT NULL, "definition" jsonb NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_saved_report" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "ux_saved_report_owner_name" ON "saved_report" ("owner_subject", "name") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ux_saved_report_owner_name"`);
        await queryRunner.query(`DROP TABLE "saved_report"`);
    }
}
