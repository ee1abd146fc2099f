import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { HouseholdStatus } from '../../core/vocab';
import { Household } from './household.entity';

/** One change of a household's registration status, kept forever (状态变更记录). */
@Entity({ name: 'household_status_event' })
@Index('ix_household_status_event_household', ['householdId', 'occurredOn'])
export class HouseholdStatusEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'household_id', type: 'bigint' })
  householdId!: string;

  @Column({ name: 'county_code', type: 'varchar', length: 6, collation: 'C' })
  countyCode!: string;

  @Column({ name: 'from_status', type: 'enum', enum: HouseholdStatus, enumName: 'household_status', nullable: true })
  fromStatus!: HouseholdStatus | null;

  @Column({ name: 'to_status', type: 'enum', enum: HouseholdStatus, enumName: 'household_status' })
  toStatus!: HouseholdStatus;

  @Column({ name: 'occurred_on', type: 'date' })
  occurredOn!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @ManyToOne(() => Household, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'household_id', foreignKeyConstraintName: 'fk_household_status_event_household' })
  household?: Household;
}
