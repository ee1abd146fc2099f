import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CountyScopedRecord, divisionCode, money } from '../../core/entity-base';
import { HouseholdFacet } from '../../core/facet-base';
import { Department, FundSource, MeasureKind, WorkStatus } from '../../core/vocab';
import { Region } from '../region/region.entity';

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

/** A measure of one of the six kinds (六个到村到户) applied to a household. */
@Entity({ name: 'measure' })
@Index('ix_measure_household', ['householdId', 'year'])
@Index('ix_measure_county_kind', ['countyCode', 'kind', 'status'])
export class Measure extends HouseholdFacet {
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

  @Column({ type: 'enum', enum: WorkStatus, enumName: 'work_status' })
  status!: WorkStatus;
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

export const povertyOfficeEntities = [Cadre, Pairing, Measure, Project, FundAllocation];
