import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { divisionCode, money } from '../../core/entity-base';
import { Department } from '../../core/vocab';
import { Household, Person } from '../registry/registry.entities';

// Coordination rules and their gaps (协调规则与缺口, issue 12 §2). The rules themselves (their SQL)
// are declared in coordination.rules.ts; `coordination_rule` mirrors their metadata so that a
// gap's rule code and version name a row. Thresholds are data per county and year.

/** Gap status (缺口状态): open → acknowledged → resolved (resolved only by the facts). */
export enum GapStatus {
  OPEN = 'open',
  ACKNOWLEDGED = 'acknowledged',
  RESOLVED = 'resolved',
}

/**
 * Policy thresholds per county and year (政策标准): the 低保 line, the poverty line and the 防返贫
 * monitoring band, all per-capita yuan a year. County '000000' holds the national default that
 * applies where a county has no row of its own; a year's row applies until a later year's.
 */
@Entity({ name: 'policy_threshold' })
@Check('ck_policy_threshold_values', `"poverty_line" > 0 AND "dibao_line" > 0 AND "monitoring_factor" >= 1`)
export class PolicyThreshold {
  @PrimaryColumn({ name: 'county_code', type: 'varchar', length: 6, collation: 'C', primaryKeyConstraintName: 'pk_policy_threshold' })
  countyCode!: string;

  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'pk_policy_threshold' })
  year!: number;

  /** 贫困线 poverty line, per-capita net income a year. */
  @money('poverty_line')
  povertyLine!: string;

  /** 低保标准 the county's minimum-living line, per capita a year. */
  @money('dibao_line')
  dibaoLine!: string;

  /** 防返贫监测 band: income under factor × poverty line puts an exited household on watch (1.5 in the seeded rows). */
  @Column({ name: 'monitoring_factor', type: 'numeric', precision: 4, scale: 2 })
  monitoringFactor!: string;
}

/** A rule's metadata, one row per code and version (the SQL is in coordination.rules.ts). */
@Entity({ name: 'coordination_rule' })
@Check('ck_coordination_rule_severity', `"severity" IN ('high', 'medium', 'low')`)
export class CoordinationRule {
  @PrimaryColumn({ type: 'varchar', length: 40, primaryKeyConstraintName: 'pk_coordination_rule' })
  code!: string;

  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'pk_coordination_rule' })
  version!: number;

  @Column({ name: 'name_zh', type: 'varchar', length: 40 })
  nameZh!: string;

  @Column({ name: 'name_en', type: 'varchar', length: 80 })
  nameEn!: string;

  @Column({ type: 'varchar', length: 8 })
  severity!: string;

  /** The department that owns (answers for) the gaps this rule opens. */
  @Column({ type: 'enum', enum: Department, enumName: 'department' })
  department!: Department;
}

/** A gap (缺口): one rule firing for one household (or one member of it). */
@Entity({ name: 'coordination_gap' })
@Index('ux_coordination_gap_live', ['ruleCode', 'householdId', 'personKey'], { unique: true, where: `"status" <> 'resolved'` })
@Index('ix_coordination_gap_household', ['householdId'])
@Index('ix_coordination_gap_village', ['villageCode', 'id'])
@Index('ix_coordination_gap_county_rule', ['countyCode', 'ruleCode', 'status'])
export class CoordinationGap {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_coordination_gap' })
  id!: string;

  @Column({ type: 'int', default: 1 })
  version!: number;

  @Column({ name: 'rule_code', type: 'varchar', length: 40 })
  ruleCode!: string;

  @Column({ name: 'rule_version', type: 'smallint' })
  ruleVersion!: number;

  @Column({ name: 'household_id', type: 'bigint' })
  householdId!: string;

  @ManyToOne(() => Household, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'household_id', foreignKeyConstraintName: 'fk_coordination_gap_household' })
  household?: Household;

  @Column({ name: 'person_id', type: 'bigint', nullable: true })
  personId!: string | null;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_coordination_gap_person' })
  person?: Person;

  /** person_id, or 0 for a household-level gap: the key of the one live gap per rule and subject. */
  @Column({ name: 'person_key', type: 'bigint', default: 0 })
  personKey!: string;

  /** The owning department (the rule's). */
  @Column({ type: 'enum', enum: Department, enumName: 'department' })
  department!: Department;

  @Column({ name: 'county_code', type: 'varchar', length: 6, collation: 'C' })
  countyCode!: string;

  @divisionCode('village_code')
  villageCode!: string;

  /** The triggering facts: field names and values that identify no one. */
  @Column({ type: 'jsonb' })
  facts!: Record<string, unknown>;

  @Column({ type: 'enum', enum: GapStatus, enumName: 'gap_status', default: GapStatus.OPEN })
  status!: GapStatus;

  @CreateDateColumn({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;
}

/** A gap's status change (缺口状态变更记录): opened, acknowledged (by whom), resolved. */
@Entity({ name: 'coordination_gap_history' })
@Index('ix_coordination_gap_history_gap', ['gapId', 'id'])
export class CoordinationGapHistory {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_coordination_gap_history' })
  id!: string;

  @Column({ name: 'gap_id', type: 'bigint' })
  gapId!: string;

  @ManyToOne(() => CoordinationGap, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'gap_id', foreignKeyConstraintName: 'fk_coordination_gap_history_gap' })
  gap?: CoordinationGap;

  @Column({ name: 'county_code', type: 'varchar', length: 6, collation: 'C' })
  countyCode!: string;

  @Column({ name: 'from_status', type: 'enum', enum: GapStatus, enumName: 'gap_status', nullable: true })
  fromStatus!: GapStatus | null;

  @Column({ name: 'to_status', type: 'enum', enum: GapStatus, enumName: 'gap_status' })
  toStatus!: GapStatus;

  @CreateDateColumn({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;

  /** Token subject of who acknowledged; null for changes the rules made. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  actor!: string | null;
}

/** Where the incremental recompute stands in the change-event feed (one row per consumer). */
@Entity({ name: 'coordination_cursor' })
export class CoordinationCursor {
  @PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'pk_coordination_cursor' })
  name!: string;

  @Column({ name: 'last_seq', type: 'bigint', default: 0 })
  lastSeq!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

export const coordinationEntities = [PolicyThreshold, CoordinationRule, CoordinationGap, CoordinationGapHistory, CoordinationCursor];
