import { Column, JoinColumn, ManyToOne } from 'typeorm';
import { Household, Person } from '../modules/registry/registry.entities';
import { CountyScopedRecord } from './entity-base';

// Department facets hang off a household or a person. The foreign keys are declared here once,
// so their constraint names are TypeORM's deterministic hash of table and columns; every
// concrete facet declares its own named indexes.

/** A fact one department records about a household. */
export abstract class HouseholdFacet extends CountyScopedRecord {
  @Column({ name: 'household_id', type: 'bigint' })
  householdId!: string;

  @ManyToOne(() => Household, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'household_id' })
  household?: Household;
}

/** A fact one department records about a person (household id kept for household-level reads). */
export abstract class PersonFacet extends HouseholdFacet {
  @Column({ name: 'person_id', type: 'bigint' })
  personId!: string;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person?: Person;
}
