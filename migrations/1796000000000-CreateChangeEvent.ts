import { MigrationInterface, QueryRunner } from "typeorm";

// Change events (变更事件, issue 8 §2): the outbox every change writes in its own transaction.
// Generated from src/modules/events/change-event.entity.ts, then reviewed; what TypeORM does
// not model is written by hand below:
//
// - Order. `seq` is an identity, so it is handed out when a row is inserted, not when its
//   transaction commits. A statement trigger locks the audit chain head (the row every audited
//   write already locks until commit, audit-chain.ts) before any row of the statement takes a
//   seq. Two transactions that insert events therefore hold that one lock from their first
//   seq to their commit, one after the other: seq order is commit order, and a reader that has
//   seen seq N will never later see a smaller seq commit. One lock, taken in the same place by
//   every writer, so no lock-order deadlock between the event table and the audit chain.
// - Rights. The application role (household_graph_app) may INSERT and SELECT events, never
//   UPDATE, DELETE or TRUNCATE them. Old events leave only through `prune_change_events`, a
//   SECURITY DEFINER function owned by the migrating role, which deletes at most `max_rows`
//   events older than `older_than` (never less than one day) per call.

const APP = "household_graph_app";

export class CreateChangeEvent1796000000000 implements MigrationInterface {
    name = 'CreateChangeEvent1796000000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "change_event" ("seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "entity" character varying(64) NOT NULL, "entity_id" text NOT NULL, "household_id" bigint, "person_id" bigint, "region_code" character varying(12) COLLATE "C" NOT NULL, "department" "public"."department", "kind" character varying(16) NOT NULL, "fields" text array NOT NULL, "actor" character varying(128), "actor_role" character varying(16), "request_id" character varying(64), "batch_id" bigint, CONSTRAINT "ck_change_event_kind" CHECK ("kind" IN ('create', 'update', 'end', 'delete')), CONSTRAINT "pk_change_event" PRIMARY KEY ("seq"))`);
        await queryRunner.query(`CREATE INDEX "ix_change_event_occurred_at" ON "change_event" ("occurred_at") `);

        await queryRunner.query(`CREATE FUNCTION "change_event_in_commit_order"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                -- The lock every audited write holds until commit (audit-chain.ts); held already
                -- by a write that appended its audit record first, so then it costs nothing.
                PERFORM 1 FROM audit_chain_head WHERE id = 1 FOR UPDATE;
                RETURN NULL;
            END
        $$`);
        await queryRunner.query(`CREATE TRIGGER "tr_change_event_in_commit_order" BEFORE INSERT ON "change_event" FOR EACH STATEMENT EXECUTE FUNCTION "change_event_in_commit_order"()`);

        await queryRunner.query(`CREATE FUNCTION "prune_change_events"(older_than interval, max_rows integer) RETURNS integer
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
            DECLARE
                removed integer;
            BEGIN
                IF older_than IS NULL OR older_than < interval '1 day' THEN
                    RAISE EXCEPTION 'change events are kept at least one day (asked: %)', older_than USING ERRCODE = 'invalid_parameter_value';
                END IF;
                IF max_rows IS NULL OR max_rows < 1 OR max_rows > 1000000 THEN
                    RAISE EXCEPTION 'max_rows must lie in 1..1000000 (asked: %)', max_rows USING ERRCODE = 'invalid_parameter_value';
                END IF;
                DELETE FROM public.change_event WHERE seq IN (
                    SELECT seq FROM public.change_event WHERE occurred_at < now() - older_than ORDER BY occurred_at LIMIT max_rows
                );
                GET DIAGNOSTICS removed = ROW_COUNT;
                RETURN removed;
            END
        $$`);
        await queryRunner.query(`REVOKE ALL ON FUNCTION "prune_change_events"(interval, integer) FROM PUBLIC`);

        // The application role: insert and read; deletion only through the retention function.
        // Granted when the role exists (RestrictAppRole creates it; a bare test database may lack it).
        await queryRunner.query(`DO $$
            BEGIN
                IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${APP}') THEN
                    REVOKE ALL ON "change_event" FROM "${APP}";
                    GRANT SELECT, INSERT ON "change_event" TO "${APP}";
                    GRANT EXECUTE ON FUNCTION "prune_change_events"(interval, integer) TO "${APP}";
                END IF;
            END $$`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP FUNCTION "prune_change_events"(interval, integer)`);
        await queryRunner.query(`DROP TRIGGER "tr_change_event_in_commit_order" ON "change_event"`);
        await queryRunner.query(`DROP FUNCTION "change_event_in_commit_order"()`);
        await queryRunner.query(`DROP INDEX "public"."ix_change_event_occurred_at"`);
        await queryRunner.query(`DROP TABLE "change_event"`);
    }
}
