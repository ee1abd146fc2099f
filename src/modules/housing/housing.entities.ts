import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { divisionCode, money } from '../../core/entity-base';
import { HouseholdFacet } from '../../core/facet-base';
import { CareMode, Department, HousingGrade, WorkStatus } from '../../core/vocab';
import { Region } from '../region/region.entity';

// Facets owned by 住建 housing.

/** Housing safety appraisal (房屋安全鉴定), grades A–D. */
@Entity({ name: 'housing_appraisal' })
@Index('ix_housing_appraisal_household', ['householdId', 'appraisedOn'])
@Index('ix_housing_appraisal_county_grade', ['countyCode', 'grade'])
export class HousingAppraisal extends HouseholdFacet {
  @Column({ type: 'enum', enum: HousingGrade, enumName: 'housing_grade' })
  grade!: HousingGrade;

  @Column({ name: 'appraised_on', type: 'date' })
  appraisedOn!: string;

  @Column({ type: 'varchar', length: 100 })
  appraiser!: string;
}

/** 危房改造 dilapidated-house renovation project, with the department that funds it. */
@Entity({ name: 'renovation_project' })
@Index('ix_renovation_project_household', ['householdId'])
@Index('ix_renovation_project_county_status', ['countyCode', 'status'])
export class RenovationProject extends HouseholdFacet {
  @Column({ name: 'funding_department', type: 'enum', enum: Department, enumName: 'department' })
  fundingDepartment!: Department;

  @money('subsidy_amount')
  subsidyAmount!: string;

  @Column({ type: 'enum', enum: WorkStatus, enumName: 'work_status' })
  status!: WorkStatus;

  @Column({ name: 'start_date', type: 'date' })
  startDate!: string;

  @Column({ name: 'completed_on', type: 'date', nullable: true })
  completedOn!: string | null;
}

/** 易地扶贫搬迁 relocation of a household. */
@Entity({ name: 'relocation' })
@Index('ix_relocation_household', ['householdId'])
@Index('ix_relocation_destination', ['destinationCode'])
export class Relocation extends HouseholdFacet {
  /** Destination division (安置点所在区划). */
  @divisionCode('destination_code')
  destinationCode!: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'destination_code', foreignKeyConstraintName: 'fk_relocation_destination' })
  destination?: Region;

  @Column({ name: 'settlement_mode', type: 'enum', enum: CareMode, enumName: 'care_mode' })
  settlementMode!: CareMode;

  @Column({ name: 'planned_year', type: 'smallint' })
  plannedYear!: number;

  @Column({ name: 'moved_on', type: 'date', nullable: true })
  movedOn!: string | null;

  @money('subsidy_amount')
  subsidyAmount!: string;

  @Column({ type: 'enum', enum: WorkStatus, enumName: 'work_status' })
  status!: WorkStatus;
}

export const housingEntities = [HousingAppraisal, RenovationProject, Relocation];
