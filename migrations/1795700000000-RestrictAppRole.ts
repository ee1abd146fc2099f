import { MigrationInterface, QueryRunner } from "typeorm";

// The application's database role (应用数据库角色) and the audit log's last defences
// (issue 7 §6). Migrations run as the owner of the tables; the server's pool runs as a member
// of the NOLOGIN group role `household_graph_app` (src/core/app-role.ts), which may read and
// write the data tables but only INSERT and SELECT audit records: it cannot UPDATE, DELETE or
// TRUNCATE them, nor disable their triggers (only an owner can). The chain head may only move
// forward, and TRUNCATE is refused on both audit tables even for their owner.
//
// Roles are cluster-wide and several databases (test runs, a demo and a bench database) may
// share one server: the role is created only when missing, a concurrent creation by another
// database's migration is tolerated, and `down` leaves the role itself in place (another
// database may still grant to it); it only takes back what this database granted.

const APP = "household_graph_app";

export class RestrictAppRole1795700000000 implements MigrationInterface {
    name = 'RestrictAppRole1795700000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DO $$
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${APP}') THEN
                    BEGIN
                        CREATE ROLE "${APP}" NOLOGIN;
                    EXCEPTION
                        -- Another database's migration created it meanwhile.
                        WHEN duplicate_object OR unique_violation THEN NULL;
                        WHEN insufficient_privilege THEN
                            RAISE EXCEPTION 'the migrating role % may not create roles: create the NOLOGIN role ${APP} once as a superuser (README: "The audit chain cannot be rolled back"), then migrate again', current_user;
                    END;
                END IF;
            END $$`);
        // The owner may switch to the role (SET ROLE, when no separate APP_DATABASE_URL login exists).
        await queryRunner.query(`DO $$
            BEGIN
                IF NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) AND NOT pg_has_role(current_user, '${APP}', 'MEMBER') THEN
                    GRANT "${APP}" TO CURRENT_USER;
                END IF;
            EXCEPTION WHEN insufficient_privilege OR unique_violation THEN
                RAISE WARNING 'could not make % a member of ${APP}: the server then needs APP_DATABASE_URL', current_user;
            END $$`);

        await queryRunner.query(`GRANT USAGE ON SCHEMA public TO "${APP}"`);
        await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "${APP}"`);
        await queryRunner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "${APP}"`);
        // Append-only: the app inserts and reads audit records, nothing else.
        await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "audit_record" FROM "${APP}"`);
        // The head: read, and moved forward by each append (UPDATE is also what FOR UPDATE needs).
        await queryRunner.query(`REVOKE INSERT, DELETE, TRUNCATE ON "audit_chain_head" FROM "${APP}"`);
        // Migrations are the owner's.
        await queryRunner.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "typeorm_migrations" FROM "${APP}"`);
        // Tables and sequences that later migrations create get the same grants as the data tables.
        await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "${APP}"`);
        await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "${APP}"`);

        // TRUNCATE fires no row trigger: a statement trigger refuses it, for the owner too.
        await queryRunner.query(`CREATE TRIGGER "tr_audit_record_no_truncate" BEFORE TRUNCATE ON "audit_record" FOR EACH STATEMENT EXECUTE FUNCTION "audit_record_append_only"()`);

        // The head moves only forward (or stays); it is never deleted or truncated.
        await queryRunner.query(`CREATE FUNCTION "audit_chain_head_forward_only"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND (NEW.last_seq > OLD.last_seq OR (NEW.last_seq = OLD.last_seq AND NEW.last_hash = OLD.last_hash)) THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'audit_chain_head only moves forward (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
            END
        $$`);
        await queryRunner.query(`CREATE TRIGGER "tr_audit_chain_head_forward_only" BEFORE UPDATE OR DELETE ON "audit_chain_head" FOR EACH ROW EXECUTE FUNCTION "audit_chain_head_forward_only"()`);
        await queryRunner.query(`CREATE TRIGGER "tr_audit_chain_head_no_truncate" BEFORE TRUNCATE ON "audit_chain_head" FOR EACH STATEMENT EXECUTE FUNCTION "audit_chain_head_forward_only"()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER "tr_audit_chain_head_no_truncate" ON "audit_chain_head"`);
        await queryRunner.query(`DROP TRIGGER "tr_audit_chain_head_forward_only" ON "audit_chain_head"`);
        await queryRunner.query(`DROP FUNCTION "audit_chain_head_forward_only"()`);
        await queryRunner.query(`DROP TRIGGER "tr_audit_record_no_truncate" ON "audit_record"`);
        await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM "${APP}"`);
        await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM "${APP}"`);
        await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM "${APP}"`);
        await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "${APP}"`);
        await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM "${APP}"`);
    }
}
