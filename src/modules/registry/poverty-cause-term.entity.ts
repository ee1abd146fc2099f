import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The versioned vocabulary of poverty causes (致贫原因字典). Version 1 holds the 12 standard causes. */
@Entity({ name: 'poverty_cause_term' })
export class PovertyCauseTerm {
  @PrimaryColumn({ name: 'vocabulary_version', type: 'smallint' })
  vocabularyVersion!: number;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ name: 'name_zh', type: 'varchar', length: 32 })
  nameZh!: string;

  @Column({ name: 'name_en', type: 'varchar', length: 64 })
  nameEn!: string;
}
