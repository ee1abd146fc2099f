import { Column, CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * Columns every writable record carries: a bigint id, an optimistic-concurrency version
 * (writes check it with `UPDATE … WHERE id = $1 AND version = $2`, never via `save()`),
 * and creation/update times.
 */
export abstract class VersionedRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'int', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * A household-scoped record: carries the 6-digit county code so that the table can later be
 * distributed by county, and so that region scope is a cheap predicate.
 */
export abstract class CountyScopedRecord extends VersionedRecord {
  @Column({ name: 'county_code', type: 'varchar', length: 6, collation: 'C' })
  countyCode!: string;
}

/** Money in yuan (元), two decimals; read back as a float by the read SQL. */
export const money = (name: string, nullable = false) =>
  Column({ name, type: 'numeric', precision: 12, scale: 2, nullable });

/** A division code column (统计用区划代码), byte-ordered so that prefix LIKE uses the index. */
export const divisionCode = (name: string, length = 12, nullable = false) =>
  Column({ name, type: 'varchar', length, collation: 'C', nullable });
