import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { RegionLevel } from '../../core/vocab';

/** A statistical division (统计用区划代码), keyed by its 12-digit code. Reference data. */
@Entity({ name: 'region' })
@Index('ix_region_parent_code', ['parentCode'])
@Index('ix_region_level', ['level'])
export class Region {
  @PrimaryColumn({ type: 'varchar', length: 12, collation: 'C' })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'enum', enum: RegionLevel, enumName: 'region_level' })
  level!: RegionLevel;

  @Column({ name: 'parent_code', type: 'varchar', length: 12, collation: 'C', nullable: true })
  parentCode!: string | null;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_code', foreignKeyConstraintName: 'fk_region_parent' })
  parent?: Region;
}
