import { isInterfaceType, isNonNullType, isObjectType } from 'graphql';
import { rolesGuarding } from '../../src/core/auth';
import { buildAppSchema } from '../../src/core/schema';

// Relations into another department's data are nullable (DESIGN §4, issue 10 §2): a caller who
// may read the household but not the department's facts gets null at that field and a
// FORBIDDEN error with its path, and the rest of the answer stays. A non-null edge would carry
// the refusal up to the nearest nullable parent (the whole card). A new edge, hand-written or
// derived from a facet declaration, is held to the same rule here.

/** A department's read permission: `facet:<department>:read`, or clinical detail (health only). */
const departmentRead = (permission: string) => /^facet:[a-z_]+:read$/.test(permission) || permission === 'clinical:read';

describe('edges into a department\'s data', () => {
  it('are nullable, so that a refusal nulls that field alone', async () => {
    const schema = await buildAppSchema();
    const edges: string[] = [];
    const nonNull: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
      if (['Query', 'Mutation', 'Subscription'].includes(type.name)) continue;
      for (const field of Object.values(type.getFields())) {
        const roles = rolesGuarding(field);
        if (!roles?.length || !roles.every(departmentRead)) continue;
        edges.push(`${type.name}.${field.name}`);
        if (isNonNullType(field.type)) nonNull.push(`${type.name}.${field.name}: ${String(field.type)}`);
      }
    }
    // Not vacuous: the hand-written and the derived edges of every department are among them.
    expect(edges).toEqual(expect.arrayContaining([
      'Household.dibaoEnrolments', 'Household.temporaryAssistance', 'Person.insuranceEnrolments', 'Person.healthConditions',
      'Person.schoolEnrolments', 'Person.dropoutWatches', 'Household.housingAppraisals', 'Household.latestHousingAppraisal',
      'Household.relocations', 'Household.pairings', 'Household.measures', 'Region.projects', 'Village.projects',
    ]));
    expect(nonNull).toEqual([]);
  });
});
