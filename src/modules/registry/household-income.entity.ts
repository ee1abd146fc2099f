import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Household } from './household.entity';

/** Per-capita net income of a household in a year (家庭人均纯收入), yuan. */
@Entity({ name: 'household_income' })
export class HouseholdIncome {
  @PrimaryColumn({ name: 'household_id', type: 'bigint' })
  householdId!: string;

  @PrimaryColumn({ type: 'smallint' })
  year!: number;

  @Column({ name: 'county_code', type: 'varchar', length: 6, collation: 'C' })
  countyCode!: string;

  @Column({ name: 'per_capita_net_income', type: 'numeric', precision: 12, scale: 2 })
  perCapitaNetIncome!: string;

  @ManyToOne(() => Household, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'household_id', foreignKeyConstraintName: 'fk_household_income_household' })
  household?: Household;
}
