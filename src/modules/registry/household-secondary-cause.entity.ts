import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Household } from './household.entity';
import { PovertyCauseTerm } from './poverty-cause-term.entity';

/** A secondary poverty cause (次要致贫原因) of a household. */
@Entity({ name: 'household_secondary_cause' })
@Index('ix_household_secondary_cause_term', ['vocabularyVersion', 'causeCode'])
export class HouseholdSecondaryCause {
  @PrimaryColumn({ name: 'household_id', type: 'bigint' })
  householdId!: string;

  @PrimaryColumn({ name: 'cause_code', type: 'varchar', length: 32 })
  causeCode!: string;

  @Column({ name: 'vocabulary_version', type: 'smallint', default: 1 })
  vocabularyVersion!: number;

  @Column({ name: 'county_code', type: 'varchar', length: 6, collation: 'C' })
  countyCode!: string;

  @ManyToOne(() => Household, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'household_id', foreignKeyConstraintName: 'fk_household_secondary_cause_household' })
  household?: Household;

  @ManyToOne(() => PovertyCauseTerm, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'vocabulary_version', referencedColumnName: 'vocabularyVersion', foreignKeyConstraintName: 'fk_household_secondary_cause_term' },
    { name: 'cause_code', referencedColumnName: 'code', foreignKeyConstraintName: 'fk_household_secondary_cause_term' },
  ])
  term?: PovertyCauseTerm;
}
