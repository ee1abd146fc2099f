import { Column, Entity, Index } from 'typeorm';
import { money } from '../../core/entity-base';
import { HouseholdFacet, PersonFacet } from '../../core/facet-base';
import { CareMode, DibaoCategory, DisabilitySubsidyKind, EnrolmentStatus, LeftBehindKind } from '../../core/vocab';

// Facets owned by 民政 civil affairs.

/** 低保 minimum-living allowance enrolment of a household. */
@Entity({ name: 'dibao_enrolment' })
@Index('ix_dibao_enrolment_household', ['householdId', 'startDate'])
@Index('ix_dibao_enrolment_county_status', ['countyCode', 'status'])
export class DibaoEnrolment extends HouseholdFacet {
  @Column({ type: 'enum', enum: DibaoCategory, enumName: 'dibao_category' })
  category!: DibaoCategory;

  @money('monthly_amount')
  monthlyAmount!: string;

  /** 保障人数: members covered. */
  @Column({ name: 'covered_persons', type: 'smallint' })
  coveredPersons!: number;

  @Column({ name: 'start_date', type: 'date' })
  startDate!: string;

  @Column({ name: 'end_date', type: 'date', nullable: true })
  endDate!: string | null;

  @Column({ type: 'enum', enum: EnrolmentStatus, enumName: 'enrolment_status', default: EnrolmentStatus.ACTIVE })
  status!: EnrolmentStatus;
}

/** 特困供养 extreme-poverty support of a person. */
@Entity({ name: 'extreme_poverty_support' })
@Index('ix_extreme_poverty_support_person', ['personId'])
@Index('ix_extreme_poverty_support_household', ['householdId'])
export class ExtremePovertySupport extends PersonFacet {
  @Column({ name: 'care_mode', type: 'enum', enum: CareMode, enumName: 'care_mode' })
  careMode!: CareMode;

  @money('monthly_amount')
  monthlyAmount!: string;

  @Column({ name: 'start_date', type: 'date' })
  startDate!: string;

  @Column({ name: 'end_date', type: 'date', nullable: true })
  endDate!: string | null;
}

/** 临时救助 temporary assistance payment to a household. */
@Entity({ name: 'temporary_assistance' })
@Index('ix_temporary_assistance_household', ['householdId', 'paidOn'])
export class TemporaryAssistance extends HouseholdFacet {
  @Column({ name: 'paid_on', type: 'date' })
  paidOn!: string;

  @money('amount')
  amount!: string;

  @Column({ type: 'text' })
  reason!: string;
}

/** 三留守 left-behind child, woman or elderly person, with a one-to-one contact person. */
@Entity({ name: 'left_behind_record' })
@Index('ix_left_behind_record_person', ['personId'])
@Index('ix_left_behind_record_household', ['householdId'])
export class LeftBehindRecord extends PersonFacet {
  @Column({ type: 'enum', enum: LeftBehindKind, enumName: 'left_behind_kind' })
  kind!: LeftBehindKind;

  /** 联系人: the one-to-one contact person. */
  @Column({ name: 'contact_person', type: 'varchar', length: 50 })
  contactPerson!: string;

  @Column({ name: 'start_date', type: 'date' })
  startDate!: string;

  @Column({ name: 'end_date', type: 'date', nullable: true })
  endDate!: string | null;
}

/** 残疾人两项补贴 disability subsidy of a person. */
@Entity({ name: 'disability_subsidy' })
@Index('ix_disability_subsidy_person', ['personId'])
@Index('ix_disability_subsidy_household', ['householdId'])
export class DisabilitySubsidy extends PersonFacet {
  @Column({ type: 'enum', enum: DisabilitySubsidyKind, enumName: 'disability_subsidy_kind' })
  kind!: DisabilitySubsidyKind;

  @money('monthly_amount')
  monthlyAmount!: string;

  @Column({ name: 'start_date', type: 'date' })
  startDate!: string;

  @Column({ name: 'end_date', type: 'date', nullable: true })
  endDate!: string | null;
}

export const civilAffairsEntities = [DibaoEnrolment, ExtremePovertySupport, TemporaryAssistance, LeftBehindRecord, DisabilitySubsidy];
