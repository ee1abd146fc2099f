import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { divisionCode } from '../../core/entity-base';

// The record of every bulk import (导入批次, issue 8 §5): who sent which batch key, with which
// content, and what it did. Written only by import-engine.ts, as set-based SQL inside the
// import's own transaction, so that a batch record exists exactly when its changes committed.

/**
 * One import batch. Unique per department, scope and client batch key: the same key with the
 * same content answers the stored result again; with other content it is refused (CONFLICT).
 */
@Entity({ name: 'import_batch' })
@Index('ux_import_batch_key', ['department', 'scope', 'batchKey'], { unique: true })
@Index('ix_import_batch_department', ['department', 'id'])
@Check('ck_import_batch_mode', `"mode" IN ('all_or_nothing', 'apply_valid')`)
@Check('ck_import_batch_status', `"status" IN ('applied', 'rejected')`)
export class ImportBatch {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_import_batch' })
  id!: string;

  /** Owner department of the facet imported (the caller's department). */
  @Column({ type: 'varchar', length: 32 })
  department!: string;

  /** Import kind ('insurance-enrolment'). */
  @Column({ type: 'varchar', length: 64 })
  kind!: string;

  @Column({ name: 'batch_key', type: 'varchar', length: 128 })
  batchKey!: string;

  /** SHA-256 over the decoded rows in canonical column order (whatever the encoding or header language). */
  @Column({ name: 'content_digest', type: 'char', length: 64 })
  contentDigest!: string;

  /** SHA-256 over the batch's row changes (import_row_change), also written into its audit record. */
  @Column({ name: 'change_digest', type: 'char', length: 64 })
  changeDigest!: string;

  @Column({ type: 'varchar', length: 128 })
  subject!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: string;

  /** The caller's region prefix when the batch ran: every row had to lie inside it. */
  @divisionCode('scope')
  scope!: string;

  /** all_or_nothing | apply_valid. */
  @Column({ type: 'varchar', length: 16 })
  mode!: string;

  /** applied (changes committed, possibly with rejects in apply_valid) | rejected (nothing applied). */
  @Column({ type: 'varchar', length: 16 })
  status!: string;

  /** utf-8, gb18030, gbk … or json (the GraphQL mutation); the rejects CSV is written in it. */
  @Column({ type: 'varchar', length: 32 })
  encoding!: string;

  /** The file began with a byte-order mark (the rejects CSV does too). */
  @Column({ type: 'boolean', default: false })
  bom!: boolean;

  @Column({ name: 'row_count', type: 'int' })
  rowCount!: number;

  @Column({ type: 'int' })
  inserted!: number;

  @Column({ type: 'int' })
  updated!: number;

  @Column({ type: 'int' })
  unchanged!: number;

  @Column({ type: 'int' })
  rejected!: number;

  @Column({ name: 'request_id', type: 'varchar', length: 64 })
  requestId!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz' })
  finishedAt!: Date;
}

/** One problem of one row (拒绝行): the row (header = row 0), the column as the file named it, a code, why. */
@Entity({ name: 'import_reject' })
@Index('ix_import_reject_batch', ['batchId', 'rowNumber'])
export class ImportReject {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_import_reject' })
  id!: string;

  @Column({ name: 'batch_id', type: 'bigint' })
  batchId!: string;

  @Column({ name: 'row_number', type: 'int' })
  rowNumber!: number;

  /** Header as the file named it (身份证号 or idNumber); null for a problem of the whole row. */
  @Column({ name: 'column_name', type: 'varchar', length: 64, nullable: true })
  columnName!: string | null;

  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'text' })
  message!: string;

  @Column({ name: 'message_zh', type: 'text' })
  messageZh!: string;

  @ManyToOne(() => ImportBatch, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'batch_id', foreignKeyConstraintName: 'fk_import_reject_batch' })
  batch?: ImportBatch;
}

/**
 * What one applied row changed (行变更): the record inserted or updated and the fields written.
 * The batch's audit record carries a SHA-256 over these rows (import-engine.ts, changeDigestSql).
 */
@Entity({ name: 'import_row_change' })
@Check('ck_import_row_change_change', `"change" IN ('insert', 'update')`)
export class ImportRowChange {
  @PrimaryColumn({ name: 'batch_id', type: 'bigint', primaryKeyConstraintName: 'pk_import_row_change' })
  batchId!: string;

  @PrimaryColumn({ name: 'row_number', type: 'int', primaryKeyConstraintName: 'pk_import_row_change' })
  rowNumber!: number;

  /** Id of the facet record written (in the batch kind's table). */
  @Column({ name: 'entity_id', type: 'bigint' })
  entityId!: string;

  /** insert | update. */
  @Column({ type: 'varchar', length: 8 })
  change!: string;

  /** API names of the fields written (all writable fields on insert, the differing ones on update). */
  @Column({ type: 'text', array: true })
  fields!: string[];

  @ManyToOne(() => ImportBatch, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'batch_id', foreignKeyConstraintName: 'fk_import_row_change_batch' })
  batch?: ImportBatch;
}

export const ingestEntities = [ImportBatch, ImportReject, ImportRowChange];
