import { Column, Entity, Index } from 'typeorm';
import { money } from '../../core/entity-base';
import { PersonFacet } from '../../core/facet-base';
import { ConditionKind, InsuranceScheme } from '../../core/vocab';

// Facets owned by 卫健/医保 health and medical insurance.

/** Yearly medical-insurance enrolment (参保) of a person, with the premium subsidy (资助参保). */
@Entity({ name: 'insurance_enrolment' })
@Index('ux_insurance_enrolment_person_year', ['personId', 'year'], { unique: true })
@Index('ix_insurance_enrolment_household', ['householdId'])
@Index('ix_insurance_enrolment_county_year', ['countyCode', 'year'])
export class InsuranceEnrolment extends PersonFacet {
  @Column({ type: 'smallint' })
  year!: number;

  @Column({ type: 'enum', enum: InsuranceScheme, enumName: 'insurance_scheme' })
  scheme!: InsuranceScheme;

  @money('premium')
  premium!: string;

  @money('subsidy')
  subsidy!: string;
}

/** A chronic or serious condition (慢病/大病). The diagnosis is clinical detail: health only. */
@Entity({ name: 'health_condition' })
@Index('ix_health_condition_person', ['personId'])
@Index('ix_health_condition_household', ['householdId'])
export class HealthCondition extends PersonFacet {
  @Column({ type: 'enum', enum: ConditionKind, enumName: 'condition_kind' })
  kind!: ConditionKind;

  @Column({ type: 'text' })
  diagnosis!: string;

  @Column({ name: 'icd10_code', type: 'varchar', length: 10 })
  icd10Code!: string;

  @Column({ name: 'diagnosed_on', type: 'date' })
  diagnosedOn!: string;
}

/** A medical-assistance claim (医疗救助): total cost, reimbursed, out of pocket. */
@Entity({ name: 'medical_assistance_claim' })
@Index('ix_medical_assistance_claim_person', ['personId', 'claimDate'])
@Index('ix_medical_assistance_claim_household', ['householdId'])
export class MedicalAssistanceClaim extends PersonFacet {
  @Column({ name: 'claim_date', type: 'date' })
  claimDate!: string;

  @money('total_cost')
  totalCost!: string;

  @money('reimbursed')
  reimbursed!: string;

  @money('out_of_pocket')
  outOfPocket!: string;
}

/** A family-doctor contract (家庭医生签约). */
@Entity({ name: 'family_doctor_contract' })
@Index('ix_family_doctor_contract_person', ['personId'])
@Index('ix_family_doctor_contract_household', ['householdId'])
export class FamilyDoctorContract extends PersonFacet {
  @Column({ name: 'doctor_name', type: 'varchar', length: 50 })
  doctorName!: string;

  @Column({ type: 'varchar', length: 100 })
  clinic!: string;

  @Column({ name: 'start_date', type: 'date' })
  startDate!: string;

  @Column({ name: 'end_date', type: 'date', nullable: true })
  endDate!: string | null;
}

/**
 * 医疗救助年度封顶 a person's medical-assistance cap for a year and how much of it is used, as the
 * medical-insurance system reports it; one record per person and year. Declared in
 * health.facets.ts (the remaining amount is computed there, not stored).
 */
@Entity({ name: 'medical_assistance_cap' })
@Index('ux_medical_assistance_cap_person_year', ['personId', 'year'], { unique: true })
@Index('ix_medical_assistance_cap_household', ['householdId'])
export class MedicalAssistanceCap extends PersonFacet {
  @Column({ type: 'smallint' })
  year!: number;

  @money('cap_amount')
  capAmount!: string;

  @money('used_amount')
  usedAmount!: string;
}

export const healthEntities = [InsuranceEnrolment, HealthCondition, MedicalAssistanceClaim, FamilyDoctorContract, MedicalAssistanceCap];
