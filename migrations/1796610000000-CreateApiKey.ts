import { MigrationInterface, QueryRunner } from "typeorm";

// API keys of third parties (第三方接口密钥, issue 9 §3): only the SHA-256 of each secret is
// stored. The application role gets read and write on the table through the default privileges
// RestrictAppRole set.

export class CreateApiKey1796610000000 implements MigrationInterface {
    name = 'CreateApiKey1796610000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "api_key" ("id" character varying(12) COLLATE "C" NOT NULL, "organisation" character varying(200) NOT NULL, "catalog_entries" text array NOT NULL DEFAULT '{}', "rate_per_minute" integer, "secret_sha256" character(64) NOT NULL, "region_code" character varying(12) COLLATE "C" NOT NULL, "created_by" character varying(128) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "rotated_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL DEFAULT '1', CONSTRAINT "ck_api_key_id" CHECK ("id" ~ '^[0-9a-f]{12}$'), CONSTRAINT "ck_api_key_rate" CHECK ("rate_per_minute" IS NULL OR "rate_per_minute" BETWEEN 1 AND 100000), CONSTRAINT "pk_api_key" PRIMARY KEY ("id"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "api_key"`);
    }
}
