import {
  Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn,
} from 'typeorm';

// Storage of the approved-aggregate catalog (公开统计目录, issue 9 §2). Owned by the aggregates
// module; written through core/writes.ts (audited, with a change event) and by the release job.

/** 条目状态 where an entry is in its lifecycle. */
export type AggregateEntryStatusValue = 'proposed' | 'approved' | 'retired';

/**
 * A catalog entry as it stands now (its latest version): a stable code, one count metric, up to
 * two dimensions, the levels and years it is published at and for, over one region.
 */
@Entity({ name: 'aggregate_entry' })
@Index('ux_aggregate_entry_code', ['code'], { unique: true })
export class AggregateEntry {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_aggregate_entry' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  code!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: AggregateEntryStatusValue;

  @Column({ type: 'int', default: 1 })
  version!: number;

  /** Division-code prefix the entry publishes over. */
  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode!: string;

  @Column({ type: 'varchar', length: 40 })
  metric!: string;

  @Column({ type: 'text', array: true })
  dimensions!: string[];

  @Column({ type: 'text', array: true })
  levels!: string[];

  @Column({ type: 'int', array: true })
  years!: number[];

  @Column({ name: 'description_zh', type: 'text' })
  descriptionZh!: string;

  @Column({ name: 'description_en', type: 'text' })
  descriptionEn!: string;

  @Column({ name: 'proposed_by', type: 'varchar', length: 128 })
  proposedBy!: string;

  @Column({ name: 'approved_by', type: 'varchar', length: 128, nullable: true })
  approvedBy!: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Every version of every entry, kept for ever: what it was, who changed it, when and how. */
@Entity({ name: 'aggregate_entry_version' })
export class AggregateEntryVersion {
  @PrimaryColumn({ name: 'entry_id', type: 'bigint', primaryKeyConstraintName: 'pk_aggregate_entry_version' })
  entryId!: string;

  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'pk_aggregate_entry_version' })
  version!: number;

  @ManyToOne(() => AggregateEntry, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'fk_aggregate_entry_version_entry' })
  entry?: AggregateEntry;

  /** propose, approve, revise or retire. */
  @Column({ type: 'varchar', length: 16 })
  action!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: AggregateEntryStatusValue;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode!: string;

  @Column({ type: 'varchar', length: 40 })
  metric!: string;

  @Column({ type: 'text', array: true })
  dimensions!: string[];

  @Column({ type: 'text', array: true })
  levels!: string[];

  @Column({ type: 'int', array: true })
  years!: number[];

  @Column({ name: 'description_zh', type: 'text' })
  descriptionZh!: string;

  @Column({ name: 'description_en', type: 'text' })
  descriptionEn!: string;

  @Column({ name: 'changed_by', type: 'varchar', length: 128 })
  changedBy!: string;

  @CreateDateColumn({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;
}

/** 发布批次 one computation of every approved entry's cells, frozen once written. */
@Entity({ name: 'aggregate_release' })
export class AggregateRelease {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_aggregate_release' })
  id!: string;

  @CreateDateColumn({ name: 'computed_at', type: 'timestamptz' })
  computedAt!: Date;

  /** The threshold applied (DISCLOSURE_MIN_CELL at the time). */
  @Column({ name: 'min_cell', type: 'int' })
  minCell!: number;

  @Column({ type: 'int' })
  cells!: number;

  @Column({ name: 'suppressed_primary', type: 'int' })
  suppressedPrimary!: number;

  @Column({ name: 'suppressed_complementary', type: 'int' })
  suppressedComplementary!: number;

  /** Milliseconds the computation and suppression took. */
  @Column({ type: 'int' })
  millis!: number;

  /** Why it was computed: approve, revise, retire, refresh. */
  @Column({ type: 'varchar', length: 16 })
  reason!: string;
}

/**
 * 发布单元格 one published cell: an entry's count at one region, year and category combination
 * (categories: dimension → value; a dimension absent is a total over it). A suppressed cell has
 * no value: the true figure is never stored beside the published ones.
 */
@Entity({ name: 'aggregate_cell' })
@Index('ix_aggregate_cell_lookup', ['releaseId', 'entryId', 'year', 'level', 'regionCode'])
export class AggregateCell {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_aggregate_cell' })
  id!: string;

  @Column({ name: 'release_id', type: 'bigint' })
  releaseId!: string;

  @ManyToOne(() => AggregateRelease, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'release_id', foreignKeyConstraintName: 'fk_aggregate_cell_release' })
  release?: AggregateRelease;

  @Column({ name: 'entry_id', type: 'bigint' })
  entryId!: string;

  @ManyToOne(() => AggregateEntry, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'fk_aggregate_cell_entry' })
  entry?: AggregateEntry;

  @Column({ name: 'entry_version', type: 'int' })
  entryVersion!: number;

  @Column({ type: 'varchar', length: 40 })
  metric!: string;

  @Column({ type: 'int' })
  year!: number;

  @Column({ type: 'varchar', length: 16 })
  level!: string;

  /** The region's 12-digit code. */
  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode!: string;

  @Column({ type: 'jsonb' })
  categories!: Record<string, string | null>;

  @Column({ type: 'float8', nullable: true })
  value!: number | null;

  @Column({ type: 'boolean' })
  suppressed!: boolean;
}

export const aggregateEntities = [AggregateEntry, AggregateEntryVersion, AggregateRelease, AggregateCell];
