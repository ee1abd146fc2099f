import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { Utilities } from './utilities.embedded';
import { Region } from './region.entity';

/**
 * Village-level facts (行政村): the poverty-village flag and its identification indicators
 * (一高一低一无), and the six village utilities (六到农家). Owned by the poverty office.
 */
@Entity({ name: 'village' })
@Index('ix_village_county_code', ['countyCode'])
@Index('ix_village_is_poverty_village', ['isPovertyVillage'])
export class Village {
  @PrimaryColumn({ type: 'varchar', length: 12, collation: 'C' })
  code!: string;

  @OneToOne(() => Region, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'code', foreignKeyConstraintName: 'fk_village_region' })
  region?: Region;

  @Column({ name: 'county_code', type: 'varchar', length: 6, collation: 'C' })
  countyCode!: string;

  @Column({ name: 'is_poverty_village', type: 'boolean', default: false })
  isPovertyVillage!: boolean;

  /** Year the indicators below were measured. */
  @Column({ name: 'indicator_year', type: 'smallint' })
  indicatorYear!: number;

  /** 贫困发生率, percent. */
  @Column({ name: 'poverty_incidence', type: 'numeric', precision: 5, scale: 2 })
  povertyIncidence!: string;

  /** 农民人均纯收入, yuan a year. */
  @Column({ name: 'per_capita_income', type: 'numeric', precision: 12, scale: 2 })
  perCapitaIncome!: string;

  /** 村集体经济收入, yuan a year. */
  @Column({ name: 'collective_income', type: 'numeric', precision: 12, scale: 2 })
  collectiveIncome!: string;

  @Column({ name: 'broadband_mbps', type: 'int', default: 0 })
  broadbandMbps!: number;

  @Column(() => Utilities, { prefix: false })
  utilities!: Utilities;

  @Column({ type: 'int', default: 1 })
  version!: number;
}
