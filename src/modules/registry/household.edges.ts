import { jsonRows, registerEdge } from '../../core/prefetch';
import { countyScopedPredicate, regionPredicate } from '../../core/scope';
import { VILLAGE_COLUMNS, villageByCode } from '../region';
import { incomesByHouseholdId, secondaryCausesByHouseholdId, statusEventsByHouseholdId } from './household.loaders';
import { membersByHouseholdId, PERSON_COLUMNS } from './person.loaders';

// The registry's read-ahead edges (core/prefetch): each returns, as JSON for one household, what
// the loader it primes returns for that household, with the same order and scope predicate.

/**
 * What every person row needs whatever the selection: its keys (priming, facets, Person.household),
 * the village (audited reads) and the birth date (the minor rule of the privacy policy, age).
 */
const PERSON_NEEDS = ['id', 'householdId', 'villageCode', 'birthDate'];

/** Household.members: membersByHouseholdId's select list (less what the request cannot use), order and scope. */
registerEdge({
  type: 'Household',
  fields: ['members'],
  loader: membersByHouseholdId,
  json: (ctx, h, params, prune) => {
    const scope = params.predicate((n) => regionPredicate(ctx.scope, 'p.village_code', n));
    return jsonRows(prune(PERSON_COLUMNS, PERSON_NEEDS), `FROM person p
              WHERE p.household_id = ${h}.id AND ${scope} ORDER BY (p.relation <> 'head'), p.id`);
  },
});

registerEdge({
  type: 'Household',
  fields: ['secondaryCauses'],
  loader: secondaryCausesByHouseholdId,
  json: (ctx, h, params) => {
    const scope = params.predicate((n) => countyScopedPredicate(ctx.scope, 'c', n));
    return `(SELECT coalesce(json_agg(c.cause_code ORDER BY c.cause_code), '[]'::json) FROM household_secondary_cause c
              WHERE c.household_id = ${h}.id AND ${scope})`;
  },
});

registerEdge({
  type: 'Household',
  fields: ['incomes', 'income'],
  loader: incomesByHouseholdId,
  json: (ctx, h, params) => {
    const scope = params.predicate((n) => countyScopedPredicate(ctx.scope, 'i', n));
    return `(SELECT coalesce(json_agg(x), '[]'::json) FROM (SELECT i.household_id::text AS "householdId", i.year,
        i.per_capita_net_income::float8 AS "perCapitaNetIncome" FROM household_income i
        WHERE i.household_id = ${h}.id AND ${scope} ORDER BY i.year) x)`;
  },
});

registerEdge({
  type: 'Household',
  fields: ['statusEvents'],
  loader: statusEventsByHouseholdId,
  json: (ctx, h, params) => {
    const scope = params.predicate((n) => countyScopedPredicate(ctx.scope, 'e', n));
    return `(SELECT coalesce(json_agg(x), '[]'::json) FROM (SELECT e.household_id::text AS "householdId", e.from_status AS "fromStatus",
        e.to_status AS "toStatus", e.occurred_on AS "occurredOn", e.reason
        FROM household_status_event e WHERE e.household_id = ${h}.id AND ${scope} ORDER BY e.occurred_on, e.id) x)`;
  },
});

/** Household.village: villageByCode, keyed by the household's village code. */
registerEdge({
  type: 'Household',
  fields: ['village'],
  loader: villageByCode,
  keyOf: (household) => household.villageCode as string,
  json: (ctx, h, params) => {
    const scope = params.predicate((n) => regionPredicate(ctx.scope, 'v.code', n));
    return `(SELECT row_to_json(x) FROM (SELECT ${VILLAGE_COLUMNS} FROM village v JOIN region r ON r.code = v.code
              WHERE v.code = ${h}.village_code AND ${scope}) x)`;
  },
});
