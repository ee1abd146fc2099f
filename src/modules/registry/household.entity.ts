import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CountyScopedRecord, divisionCode } from '../../core/entity-base';
import { HouseholdStatus, IdentificationStandard } from '../../core/vocab';
import { Utilities } from '../region/utilities.embedded';
import { Village } from '../region/village.entity';
import { PovertyCauseTerm } from './poverty-cause-term.entity';

/** A household in the 建档立卡 registry. Owned by the poverty office (扶贫办). */
@Entity({ name: 'household' })
@Index('ux_household_number', ['number'], { unique: true })
// Village-code ranges with the columns rollups read, for index-only scans (migration 1795600000000).
@Index('ix_household_village_rollup', ['villageCode', 'status', 'mainCause', 'id'])
@Index('ix_household_county_status', ['countyCode', 'status'])
@Index('ix_household_main_cause', ['causeVocabularyVersion', 'mainCause'])
@Index('ix_household_identification_year', ['identificationYear'])
export class Household extends CountyScopedRecord {
  /** 户编号. */
  @Column({ type: 'varchar', length: 20 })
  number!: string;

  @divisionCode('village_code')
  villageCode!: string;

  @ManyToOne(() => Village, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'village_code', foreignKeyConstraintName: 'fk_household_village' })
  village?: Village;

  @Column({ type: 'enum', enum: HouseholdStatus, enumName: 'household_status', default: HouseholdStatus.NONE })
  status!: HouseholdStatus;

  @Column({ name: 'identification_year', type: 'smallint', nullable: true })
  identificationYear!: number | null;

  @Column({
    name: 'identification_standard',
    type: 'enum',
    enum: IdentificationStandard,
    enumName: 'identification_standard',
    nullable: true,
  })
  identificationStandard!: IdentificationStandard | null;

  @Column({ name: 'cause_vocabulary_version', type: 'smallint', default: 1 })
  causeVocabularyVersion!: number;

  @Column({ name: 'main_cause', type: 'varchar', length: 32, nullable: true })
  mainCause!: string | null;

  @ManyToOne(() => PovertyCauseTerm, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'cause_vocabulary_version', referencedColumnName: 'vocabularyVersion', foreignKeyConstraintName: 'fk_household_main_cause' },
    { name: 'main_cause', referencedColumnName: 'code', foreignKeyConstraintName: 'fk_household_main_cause' },
  ])
  mainCauseTerm?: PovertyCauseTerm;

  @Column(() => Utilities, { prefix: false })
  utilities!: Utilities;
}
