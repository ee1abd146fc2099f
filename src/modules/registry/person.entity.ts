import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CountyScopedRecord, divisionCode } from '../../core/entity-base';
import { Gender, HealthCategory, LabourAbility, Relation, SchoolingStage } from '../../core/vocab';
import { Household } from './household.entity';

/**
 * A member of a household. The resident ID number is stored in full (the API masks it);
 * it is validated with the GB 11643 checksum before it gets here.
 */
@Entity({ name: 'person' })
@Index('ux_person_id_number', ['idNumber'], { unique: true })
@Index('ix_person_household_id', ['householdId'])
@Index('ix_person_village_code', ['villageCode'])
@Index('ix_person_birth_date', ['birthDate'])
export class Person extends CountyScopedRecord {
  @Column({ name: 'household_id', type: 'bigint' })
  householdId!: string;

  @ManyToOne(() => Household, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'household_id', foreignKeyConstraintName: 'fk_person_household' })
  household?: Household;

  /** Denormalised from the household for region-scoped person queries. */
  @divisionCode('village_code')
  villageCode!: string;

  @Column({ type: 'enum', enum: Relation, enumName: 'relation' })
  relation!: Relation;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  @Column({ name: 'id_number', type: 'char', length: 18 })
  idNumber!: string;

  @Column({ type: 'enum', enum: Gender, enumName: 'gender' })
  gender!: Gender;

  @Column({ name: 'birth_date', type: 'date' })
  birthDate!: string;

  @Column({ name: 'labour_ability', type: 'enum', enum: LabourAbility, enumName: 'labour_ability' })
  labourAbility!: LabourAbility;

  @Column({ name: 'health_category', type: 'enum', enum: HealthCategory, enumName: 'health_category' })
  healthCategory!: HealthCategory;

  /** 残疾等级 1 (most severe) – 4; null when not disabled. */
  @Column({ name: 'disability_level', type: 'smallint', nullable: true })
  disabilityLevel!: number | null;

  @Column({ name: 'schooling_stage', type: 'enum', enum: SchoolingStage, enumName: 'schooling_stage' })
  schoolingStage!: SchoolingStage;
}
