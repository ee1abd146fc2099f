import { MigrationInterface, QueryRunner } from "typeorm";

// The audit log (审计日志): hash-chained records and the one-row chain head that appends lock.
// Generated from src/modules/audit/audit-record.entity.ts, then reviewed; the trigger (which
// TypeORM does not model) makes the table append-only for everyone short of its owner.

export class CreateAuditLog1795461878404 implements MigrationInterface {
    name = 'CreateAuditLog1795461878404'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "audit_record" ("id" BIGSERIAL NOT NULL, "seq" bigint NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "subject" character varying(128), "role" character varying(16), "department" character varying(32), "action" character varying(16) NOT NULL, "entity" character varying(64) NOT NULL, "entity_id" character varying(64), "fields" text array NOT NULL, "purpose" text, "request_id" character varying(64) NOT NULL, "outcome" character varying(16) NOT NULL, "region_code" character varying(12) COLLATE "C" NOT NULL, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "ck_audit_record_outcome" CHECK ("outcome" IN ('success', 'conflict', 'not_found', 'forbidden', 'invalid')), CONSTRAINT "ck_audit_record_action" CHECK ("action" IN ('create', 'update', 'end', 'delete', 'read')), CONSTRAINT "pk_audit_record" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_audit_record_occurred_at" ON "audit_record"  ("occurred_at") `);
        await queryRunner.query(`CREATE INDEX "ix_audit_record_subject" ON "audit_record"  ("subject") `);
        await queryRunner.query(`CREATE INDEX "ix_audit_record_entity" ON "audit_record"  ("entity", "entity_id") `);
        await queryRunner.query(`CREATE INDEX "ix_audit_record_region" ON "audit_record"  ("region_code", "id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "ux_audit_record_seq" ON "audit_record"  ("seq") `);
        await queryRunner.query(`CREATE TABLE "audit_chain_head" ("id" smallint NOT NULL, "last_seq" bigint NOT NULL, "last_hash" character(64) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_audit_chain_head_single" CHECK ("id" = 1), CONSTRAINT "pk_audit_chain_head" PRIMARY KEY ("id"))`);
        // The empty chain: seq 0, the genesis hash (audit-hash.ts GENESIS_HASH).
        await queryRunner.query(`INSERT INTO "audit_chain_head" ("id", "last_seq", "last_hash", "updated_at") VALUES (1, 0, repeat('0', 64), now())`);
        await queryRunner.query(`CREATE FUNCTION "audit_record_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_record is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
            END
        $$`);
        await queryRunner.query(`CREATE TRIGGER "tr_audit_record_append_only" BEFORE UPDATE OR DELETE ON "audit_record" FOR EACH ROW EXECUTE FUNCTION "audit_record_append_only"()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER "tr_audit_record_append_only" ON "audit_record"`);
        await queryRunner.query(`DROP FUNCTION "audit_record_append_only"()`);
        await queryRunner.query(`DROP TABLE "audit_chain_head"`);
        await queryRunner.query(`DROP INDEX "public"."ux_audit_record_seq"`);
        await queryRunner.query(`DROP INDEX "public"."ix_audit_record_region"`);
        await queryRunner.query(`DROP INDEX "public"."ix_audit_record_entity"`);
        await queryRunner.query(`DROP INDEX "public"."ix_audit_record_subject"`);
        await queryRunner.query(`DROP INDEX "public"."ix_audit_record_occurred_at"`);
        await queryRunner.query(`DROP TABLE "audit_record"`);
    }
}
