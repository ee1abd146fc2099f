import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two audited refusals (issue 7 §2): a registration whose ID or household number is already
 * registered outside the caller's scope (`dup_elsewhere`), and the per-caller limit on
 * those refusals (`rate_limited`, counted from this table).
 */
export class AddDuplicateElsewhereOutcome1795948148444 implements MigrationInterface {
  name = 'AddDuplicateElsewhereOutcome1795948148444';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_record" DROP CONSTRAINT "ck_audit_record_outcome"`);
    await queryRunner.query(
      `ALTER TABLE "audit_record" ADD CONSTRAINT "ck_audit_record_outcome" CHECK ("outcome" IN ('success', 'conflict', 'not_found', 'forbidden', 'invalid', 'dup_elsewhere', 'rate_limited'))`,
    );
    // The rate limit counts a caller's recent refusals.
    await queryRunner.query(`CREATE INDEX "ix_audit_record_subject_outcome" ON "audit_record" ("subject", "outcome", "occurred_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_audit_record_subject_outcome"`);
    await queryRunner.query(`ALTER TABLE "audit_record" DROP CONSTRAINT "ck_audit_record_outcome"`);
    // The log is append-only: records with the new outcomes stay, so the old check covers new rows only.
    await queryRunner.query(
      `ALTER TABLE "audit_record" ADD CONSTRAINT "ck_audit_record_outcome" CHECK ("outcome" IN ('success', 'conflict', 'not_found', 'forbidden', 'invalid')) NOT VALID`,
    );
  }
}
