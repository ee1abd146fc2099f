import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CountyScopedRecord, divisionCode, money } from '../../core/entity-base';
import { HouseholdFacet } from '../../core/facet-base';
import { Department, FundSource, MeasureKind, WorkStatus } from '../../core/vocab';
import { NoticeKind, ProjectStatus } from './project-stage';
import { Utility } from './utility';
import { Region } from '../region/region.entity';
import { Village } from '../region/village.entity';
import { Household } from '../registry/registry.entities';

// Facets owned by 扶贫办 the poverty office.

/** A pairing cadre (帮扶责任人) and their work unit. */
@Entity({ name: 'cadre' })
@Index('ix_cadre_county', ['countyCode'])
export class Cadre extends CountyScopedRecord {
  @Column({ type: 'varchar', length: 50 })
  name!: string;

  /** 帮扶单位 work unit. */
  @Column({ type: 'varchar', length: 100 })
  unit!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone!: string | null;
}

/** 结对帮扶: a cadre paired with a household until it exits (不脱贫不脱钩). */
@Entity({ name: 'pairing' })
@Index('ix_pairing_household', ['householdId'])
@Index('ix_pairing_cadre', ['cadreId'])
export class Pairing extends HouseholdFacet {
  @Column({ name: 'cadre_id', type: 'bigint' })
  cadreId!: string;

  @ManyToOne(() => Cadre, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cadre_id', foreignKeyConstraintName: 'fk_pairing_cadre' })
  cadre?: Cadre;

  @Column({ name: 'start_date', type: 'date' })
  startDate!: string;

  @Column({ name: 'end_date', type: 'date', nullable: true })
  endDate!: string | null;
}

/** 走访方式 how a cadre was in touch with a paired household. */
export enum VisitKind {
  HOME_VISIT = 'home_visit',
  PHONE_CALL = 'phone_call',
  MEETING = 'meeting',
  ERRAND = 'errand',
}

/**
 * 帮扶走访 a visit of a pairing cadre to the household (帮扶手册 entry). Notes carry what was
 * discussed and done, never personal health details, ID or phone numbers (refused on write).
 */
@Entity({ name: 'cadre_visit' })
@Index('ix_cadre_visit_pairing', ['pairingId', 'visitedOn'])
@Index('ix_cadre_visit_household', ['householdId'])
export class CadreVisit extends HouseholdFacet {
  @Column({ name: 'pairing_id', type: 'bigint' })
  pairingId!: string;

  @ManyToOne(() => Pairing, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'pairing_id', foreignKeyConstraintName: 'fk_cadre_visit_pairing' })
  pairing?: Pairing;

  @Column({ name: 'visited_on', type: 'date' })
  visitedOn!: string;

  @Column({ type: 'enum', enum: VisitKind, enumName: 'visit_kind' })
  kind!: VisitKind;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;
}

/** A poverty-alleviation project (扶贫项目) in a village or township. */
@Entity({ name: 'project' })
@Index('ix_project_region', ['regionCode'])
@Index('ix_project_county_year', ['countyCode', 'year'])
export class Project extends CountyScopedRecord {
  @divisionCode('region_code')
  regionCode!: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code', foreignKeyConstraintName: 'fk_project_region' })
  region?: Region;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'enum', enum: MeasureKind, enumName: 'measure_kind' })
  kind!: MeasureKind;

  @Column({ type: 'smallint' })
  year!: number;

  @money('budget')
  budget!: string;

  @Column({ type: 'enum', enum: ProjectStatus, enumName: 'project_status' })
  status!: ProjectStatus;

  /** 实施单位 the unit carrying the project out. */
  @Column({ name: 'implementing_unit', type: 'varchar', length: 100, nullable: true })
  implementingUnit!: string | null;

  /** 实施期限 planned first and last day. */
  @Column({ name: 'start_date', type: 'date', nullable: true })
  startDate!: string | null;

  @Column({ name: 'end_date', type: 'date', nullable: true })
  endDate!: string | null;

  /** 受益户数 number of households that benefit (a count, never a list of people). */
  @Column({ name: 'beneficiary_households', type: 'int', nullable: true })
  beneficiaryHouseholds!: number | null;

  /** 资金来源 the sources the project is to be funded from; allocations come from these. */
  @Column({ name: 'fund_sources', type: 'enum', enum: FundSource, enumName: 'fund_source', array: true, default: '{}' })
  fundSources!: FundSource[];
}

/** A fund allocation to a project (资金拨付), publicly announced (公告公示). */
@Entity({ name: 'fund_allocation' })
@Index('ix_fund_allocation_project', ['projectId'])
export class FundAllocation extends CountyScopedRecord {
  @Column({ name: 'project_id', type: 'bigint' })
  projectId!: string;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'fk_fund_allocation_project' })
  project?: Project;

  @Column({ type: 'enum', enum: FundSource, enumName: 'fund_source' })
  source!: FundSource;

  @money('amount')
  amount!: string;

  @Column({ name: 'allocated_on', type: 'date' })
  allocatedOn!: string;

  @Column({ name: 'announced_on', type: 'date', nullable: true })
  announcedOn!: string | null;
}

/**
 * A measure of one of the six kinds (六个到村到户), aimed at one household or at one village
 * (exactly one of `householdId` and `villageCode` is set). Status follows WorkStatus (planned →
 * underway → completed, or cancelled); verification (验收核实) of a completed measure is recorded
 * on top of it, by a different principal than the one who completed it.
 */
@Entity({ name: 'measure' })
@Index('ix_measure_household', ['householdId', 'year'])
@Index('ix_measure_county_kind', ['countyCode', 'kind', 'status'])
@Index('ix_measure_village', ['villageCode', 'year'])
@Index('ix_measure_fund_allocation', ['fundAllocationId'])
@Check('ck_measure_target', '("household_id" IS NULL) <> ("village_code" IS NULL)')
@Check('ck_measure_verified', '"verified_at" IS NULL OR ("status" = \'completed\' AND "completed_at" IS NOT NULL)')
export class Measure extends CountyScopedRecord {
  /** The household the measure is for; null for a village measure. */
  @Column({ name: 'household_id', type: 'bigint', nullable: true })
  householdId!: string | null;

  @ManyToOne(() => Household, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'household_id' })
  household?: Household;

  /** The village the measure is for (村级措施, e.g. infrastructure); null for a household measure. */
  @divisionCode('village_code', 12, true)
  villageCode!: string | null;

  @ManyToOne(() => Village, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'village_code', referencedColumnName: 'code', foreignKeyConstraintName: 'fk_measure_village' })
  village?: Village;

  @Column({ type: 'enum', enum: MeasureKind, enumName: 'measure_kind' })
  kind!: MeasureKind;

  /** Department that carries the measure out. */
  @Column({ type: 'enum', enum: Department, enumName: 'department' })
  department!: Department;

  @Column({ type: 'enum', enum: WorkStatus, enumName: 'work_status' })
  status!: WorkStatus;

  @money('amount')
  amount!: string;

  @Column({ type: 'smallint' })
  year!: number;

  @Column({ type: 'text' })
  description!: string;

  /** 责任单位 the unit answerable for carrying it out. */
  @Column({ name: 'responsible_unit', type: 'varchar', length: 100, nullable: true })
  responsibleUnit!: string | null;

  /** 佐证材料 evidence notes (what was done, where the papers are). */
  @Column({ type: 'text', nullable: true })
  evidence!: string | null;

  /** 资金来源 the fund allocation (of a project) that pays for it. */
  @Column({ name: 'fund_allocation_id', type: 'bigint', nullable: true })
  fundAllocationId!: string | null;

  @ManyToOne(() => FundAllocation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'fund_allocation_id', foreignKeyConstraintName: 'fk_measure_fund_allocation' })
  fundAllocation?: FundAllocation;

  /** 六到农家 the utilities an infrastructure measure provides; verifying it sets them on its village and households. */
  @Column({ type: 'enum', enum: Utility, enumName: 'utility', array: true, default: '{}' })
  utilities!: Utility[];

  /** Subject of the principal who completed it (null: completed outside the API, e.g. seeded). */
  @Column({ name: 'completed_by', type: 'varchar', length: 128, nullable: true })
  completedBy!: string | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  /** Subject of the principal who verified it; never the one who completed it. */
  @Column({ name: 'verified_by', type: 'varchar', length: 128, nullable: true })
  verifiedBy!: string | null;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;
}

/**
 * A public notice (公告公示) of a project's approval, a fund allocation or the acceptance: what
 * the notice board says, frozen when it is published. It names the project, its division
 * (village or township), money, sources, unit, period and how many households benefit; never a
 * person. Rows are never changed or deleted (the app role may only insert them).
 */
@Entity({ name: 'public_notice' })
@Index('ix_public_notice_region', ['regionCode', 'id'])
@Index('ix_public_notice_project', ['projectId'])
export class PublicNotice extends CountyScopedRecord {
  @Column({ name: 'project_id', type: 'bigint' })
  projectId!: string;

  @ManyToOne(() => Project, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'fk_public_notice_project' })
  project?: Project;

  @Column({ name: 'fund_allocation_id', type: 'bigint', nullable: true })
  fundAllocationId!: string | null;

  @ManyToOne(() => FundAllocation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'fund_allocation_id', foreignKeyConstraintName: 'fk_public_notice_fund_allocation' })
  fundAllocation?: FundAllocation;

  @Column({ type: 'enum', enum: NoticeKind, enumName: 'notice_kind' })
  kind!: NoticeKind;

  @divisionCode('region_code')
  regionCode!: string;

  @Column({ name: 'project_name', type: 'varchar', length: 200 })
  projectName!: string;

  @Column({ name: 'project_kind', type: 'enum', enum: MeasureKind, enumName: 'measure_kind' })
  projectKind!: MeasureKind;

  @money('budget')
  budget!: string;

  /** The allocation's amount (allocation notices); null otherwise. */
  @money('amount', true)
  amount!: string | null;

  /** Total allocated to the project when the notice was published. */
  @money('allocated_total')
  allocatedTotal!: string;

  @Column({ name: 'fund_sources', type: 'enum', enum: FundSource, enumName: 'fund_source', array: true })
  fundSources!: FundSource[];

  @Column({ name: 'implementing_unit', type: 'varchar', length: 100, nullable: true })
  implementingUnit!: string | null;

  @Column({ name: 'period_start', type: 'date', nullable: true })
  periodStart!: string | null;

  @Column({ name: 'period_end', type: 'date', nullable: true })
  periodEnd!: string | null;

  @Column({ name: 'beneficiary_households', type: 'int', nullable: true })
  beneficiaryHouseholds!: number | null;

  @Column({ name: 'published_on', type: 'date' })
  publishedOn!: string;
}

/**
 * 帮扶计划 a household's support plan for a year: its goal, and (derived, not stored) every
 * measure of the household for that year, whichever department carries it out.
 */
@Entity({ name: 'support_plan' })
@Index('ux_support_plan_household_year', ['householdId', 'year'], { unique: true })
export class SupportPlan extends HouseholdFacet {
  @Column({ type: 'smallint' })
  year!: number;

  /** 帮扶目标 what the plan is to achieve this year. */
  @Column({ type: 'text' })
  goal!: string;
}

/** 受益户 a household a village measure serves (its utilities are set when the measure is verified). */
@Entity({ name: 'measure_beneficiary' })
@Index('ix_measure_beneficiary_household', ['householdId'])
export class MeasureBeneficiary {
  @PrimaryColumn({ name: 'measure_id', type: 'bigint', primaryKeyConstraintName: 'pk_measure_beneficiary' })
  measureId!: string;

  @PrimaryColumn({ name: 'household_id', type: 'bigint', primaryKeyConstraintName: 'pk_measure_beneficiary' })
  householdId!: string;

  @ManyToOne(() => Measure, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'measure_id', foreignKeyConstraintName: 'fk_measure_beneficiary_measure' })
  measure?: Measure;

  @ManyToOne(() => Household, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'household_id', foreignKeyConstraintName: 'fk_measure_beneficiary_household' })
  household?: Household;

  @Column({ name: 'county_code', type: 'varchar', length: 6, collation: 'C' })
  countyCode!: string;
}

export const povertyOfficeEntities = [Cadre, Pairing, CadreVisit, SupportPlan, Measure, MeasureBeneficiary, Project, FundAllocation, PublicNotice];
