import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * A saved report definition (已保存报表): its owner's token subject, a name unique per owner,
 * and the definition (dimensions, metrics, filter) as JSON, checked against the report catalog
 * on save and again on every run. Owned by the reports module; only its owner reads or changes
 * it. Written through core/writes.ts (audited, with a change event).
 */
@Entity({ name: 'saved_report' })
@Index('ux_saved_report_owner_name', ['ownerSubject', 'name'], { unique: true })
export class SavedReport {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_saved_report' })
  id!: string;

  /** Token subject (`sub`) of the principal who saved it. */
  @Column({ name: 'owner_subject', type: 'varchar', length: 128 })
  ownerSubject!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** { dimensions, metrics, filter } (reports/report-sql.ts ReportDefinition). */
  @Column({ type: 'jsonb' })
  definition!: unknown;

  @Column({ type: 'int', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

export const reportEntities = [SavedReport];
