import { Field, ID, Int, ObjectType } from 'type-graphql';
import { FACET_ID_COLUMNS } from './facet-loader';

// The GraphQL read shapes every department facet shares. Each module declares its own facet
// types on top of these (`<module>.types.ts`); the select lists in `<module>.loaders.ts` start
// with the matching column constant, so the ids below are always present. The base types are
// never a field's type, so type-graphql does not emit them: they only lend their fields.

/** Fields of a fact one department records about a household. */
@ObjectType('HouseholdFacetBase', { description: 'A department fact about a household (部门户级信息).' })
export abstract class HouseholdFacetNode {
  @Field(() => ID, { description: 'Record id (记录编号).' })
  id!: string;

  @Field(() => Int, { description: 'Optimistic-concurrency version (版本号); send it back with updates.' })
  version!: number;

  @Field(() => ID, { description: 'Id of the household (所属户).' })
  householdId!: string;
}

/** Fields of a fact one department records about a person (the household id is kept too). */
@ObjectType('PersonFacetBase', { description: 'A department fact about a person (部门人员信息).' })
export abstract class PersonFacetNode extends HouseholdFacetNode {
  @Field(() => ID, { description: 'Id of the person (所属人员).' })
  personId!: string;
}

/** Select-list head of a person facet: `FACET_ID_COLUMNS` plus the person id. */
export const PERSON_FACET_ID_COLUMNS = `${FACET_ID_COLUMNS}, f.person_id::text AS "personId"`;
