import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { divisionCode } from '../../core/entity-base';

/**
 * One audited event (审计记录): a mutation (success or refusal) or a read of an unmasked
 * personal field. Append-only (a trigger refuses UPDATE and DELETE) and hash-chained: `hash`
 * is SHA-256 over the content and `prev_hash` (audit-hash.ts). Written only through
 * audit-chain.ts, as raw SQL inside the caller's transaction.
 */
@Entity({ name: 'audit_record' })
@Index('ux_audit_record_seq', ['seq'], { unique: true })
@Index('ix_audit_record_region', ['regionCode', 'id'])
@Index('ix_audit_record_entity', ['entity', 'entityId'])
@Index('ix_audit_record_subject', ['subject'])
@Index('ix_audit_record_occurred_at', ['occurredAt'])
@Index('ix_audit_record_subject_outcome', ['subject', 'outcome', 'occurredAt'])
@Check('ck_audit_record_action', `"action" IN ('create', 'update', 'end', 'delete', 'read')`)
@Check('ck_audit_record_outcome', `"outcome" IN ('success', 'conflict', 'not_found', 'forbidden', 'invalid', 'dup_elsewhere', 'rate_limited')`)
export class AuditRecord {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_audit_record' })
  id!: string;

  /** Chain position: 1, 2, 3 … without gaps (a gap is a removed record). */
  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  /** Token subject of the caller; null for internal jobs without a principal. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  subject!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  role!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  department!: string | null;

  /** create | update | end | delete | read. */
  @Column({ type: 'varchar', length: 16 })
  action!: string;

  /** GraphQL type name of the record acted on ('Household', 'Person', …). */
  @Column({ type: 'varchar', length: 64 })
  entity!: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 64, nullable: true })
  entityId!: string | null;

  @Column({ type: 'text', array: true })
  fields!: string[];

  @Column({ type: 'text', nullable: true })
  purpose!: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 64 })
  requestId!: string;

  /** success | conflict | not_found | forbidden | invalid | dup_elsewhere | rate_limited (AuditOutcome). */
  @Column({ type: 'varchar', length: 16 })
  outcome!: string;

  /** Division code (or prefix) of what was acted on: auditors see their region's records. */
  @divisionCode('region_code')
  regionCode!: string;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;
}

/**
 * The chain head (审计链头): one row (id 1) holding the last seq and hash. Appends lock it
 * (`SELECT … FOR UPDATE`), so they serialize and the chain never forks; and because it moves
 * with every append, removing the newest records shows as a gap against it.
 */
@Entity({ name: 'audit_chain_head' })
@Check('ck_audit_chain_head_single', `"id" = 1`)
export class AuditChainHead {
  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'pk_audit_chain_head' })
  id!: number;

  @Column({ name: 'last_seq', type: 'bigint' })
  lastSeq!: string;

  @Column({ name: 'last_hash', type: 'char', length: 64 })
  lastHash!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

export const auditEntities = [AuditRecord, AuditChainHead];
