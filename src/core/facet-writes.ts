import type { EntityManager } from 'typeorm';
import type { RequestContext } from './context';
import { AppError, badInput } from './errors';
import type { FacetDeclaration, FacetField } from './facet-declaration';
import { FACET_ID_COLUMNS } from './facet-loader';
import { PERSON_FACET_ID_COLUMNS } from './facet-types';
import { validateFields, validateRecord, validateRules, validateValue, type FieldProblem } from './facet-validate';
import type { LoaderFactory } from './loaders';
import { assertPatch, patchVersioned, readBack, uniqueOr } from './write-checks';
import { householdAnchor, insertRow, mutate, personAnchor } from './writes';

// The one write service of every declared facet (core/facet-declaration.ts): the derived
// create/update/end mutations (core/facet-schema.ts) call it, on top of core/writes.ts and
// core/write-checks.ts. Values are checked by `validateRecord`, the function an import row runs
// too; a problem is BAD_USER_INPUT naming `input.<field>`.

/** The select-list entry of a field, in its API name (money as float8, as a client reads it). */
function selectOf(field: FacetField): string {
  const source = field.computed ? `(${field.computed})` : `f.${field.column}`;
  const value = `${source}${field.type.kind === 'money' ? '::float8' : ''}`;
  return value === `f.${field.name}` ? value : `${value} AS "${field.name}"`;
}

/** The explicit select list of a facet: ids, then every declared field. */
export function selectListOf(facet: FacetDeclaration): string {
  const head = facet.parent === 'person' ? PERSON_FACET_ID_COLUMNS : FACET_ID_COLUMNS;
  return [head, ...facet.fields.map(selectOf)].join(', ');
}

/** The first problem of a record, as GraphQL answers it (an import lists them all). */
function refuse(problems: FieldProblem[]): never {
  const [first] = problems;
  throw badInput(`input.${first.field}`, first.message);
}

/** Refuses with the first problem, if any; returns the record as stored. */
function validOrThrow(check: { record: Record<string, unknown>; problems: FieldProblem[] }): Record<string, unknown> {
  if (check.problems.length) refuse(check.problems);
  return check.record;
}

/** Refuses a merged record (values already checked) that breaks date order or the facet's rule. */
function rulesOrThrow(facet: FacetDeclaration, record: Record<string, unknown>): void {
  const problems = validateRules(facet, record);
  if (problems.length) refuse(problems);
}

/** Column → value of the API-named `values` of declared fields. */
function columnsOf(facet: FacetDeclaration, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of facet.fields) if (!field.computed && values[field.name] !== undefined) out[field.column] = values[field.name];
  return out;
}

/**
 * The one write service of every declared facet: validate (`validateRecord`, the function an
 * import row runs too) → scope and owner (the anchor inside the caller's scope; the operation's
 * @Authorized names the owner department) → version check → write → audit, in one transaction.
 */
export class FacetWriteService {
  /** The natural key's index (one enrolment per person and year) named by its last field. */
  private static duplicate(facet: FacetDeclaration): () => AppError {
    const key = facet.naturalKey;
    if (!key.length) return () => new AppError('CONFLICT', 'a record with the same identifying key already exists');
    return () => badInput(`input.${key[key.length - 1]}`, `the ${facet.parent} already has a record with this ${key.join(' and ')} (${facet.typeName})`);
  }

  static async create(ctx: RequestContext, facet: FacetDeclaration, byId: LoaderFactory<string, unknown>, parentId: string, input: Record<string, unknown>): Promise<unknown> {
    const id = await mutate(ctx, { department: facet.department, action: 'create', entity: facet.typeName, entityId: null, fields: Object.keys(input) }, async (tx) => {
      const anchor = facet.parent === 'person' ? await personAnchor(ctx, tx, parentId) : await householdAnchor(ctx, tx, parentId);
      const record = validOrThrow(validateRecord(facet, { ...input }, ctx.today));
      const parent = facet.parent === 'person' ? { household_id: anchor.householdId, person_id: parentId } : { household_id: anchor.householdId };
      const newId = await uniqueOr(insertRow(tx, facet.table, { ...parent, county_code: anchor.countyCode, ...columnsOf(facet, record) }), FacetWriteService.duplicate(facet));
      return { result: newId, entityId: newId, regionCode: anchor.villageCode, householdId: anchor.householdId, personId: facet.parent === 'person' ? parentId : null };
    });
    return readBack(ctx, byId, id, facet.typeName);
  }

  static async update(
    ctx: RequestContext, facet: FacetDeclaration, byId: LoaderFactory<string, unknown>, id: string, version: number, patch: Record<string, unknown>,
  ): Promise<unknown> {
    const sent = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    await mutate(ctx, { department: facet.department, action: 'update', entity: facet.typeName, entityId: id, fields: Object.keys(sent) }, async (tx) => {
      const writable = facet.fields.filter((f) => f.writable !== false);
      assertPatch(sent, writable.filter((f) => f.nullable).map((f) => f.name));
      // Each sent value before the write (null only where assertPatch allowed it); the merged
      // record's rules after it.
      const values = Object.fromEntries(writable.filter((f) => f.name in sent).map((f) => [f.name, sent[f.name]]));
      const set = validOrThrow(validateFields(facet, values, ctx.today, new Set(Object.keys(values))));
      const { after, villageCode, householdId, personId } = await uniqueOr(
        patchVersioned<Record<string, unknown>>(ctx, tx, { table: facet.table, entity: facet.typeName, id, version }, columnsOf(facet, set), selectListOf(facet)),
        FacetWriteService.duplicate(facet),
      );
      // The merged record as a whole: date order and the facet's rule (a failure rolls back).
      rulesOrThrow(facet, after);
      return { result: id, entityId: id, regionCode: villageCode, householdId, personId };
    });
    return readBack(ctx, byId, id, facet.typeName);
  }

  /** Ends a record: sets its end date (and status); a record that has already ended is a CONFLICT. */
  static async end(
    ctx: RequestContext, facet: FacetDeclaration, byId: LoaderFactory<string, unknown>, id: string, version: number, input: Record<string, unknown>,
  ): Promise<unknown> {
    const end = endOf(facet);
    const dateField = fieldOf(facet, end.dateField);
    const statusField = end.statusField ? fieldOf(facet, end.statusField) : undefined;
    const fields = statusField ? [dateField.name, statusField.name] : [dateField.name];
    await mutate(ctx, { department: facet.department, action: 'end', entity: facet.typeName, entityId: id, fields }, async (tx: EntityManager) => {
      const checked = validateValue(dateField, input[dateField.name], ctx.today);
      if ('problem' in checked) refuse([checked.problem]);
      const set: Record<string, unknown> = { [dateField.name]: checked.value };
      if (statusField) set[statusField.name] = end.statusValue;
      const { before, after, villageCode, householdId, personId } = await patchVersioned<Record<string, unknown>>(
        ctx, tx, { table: facet.table, entity: facet.typeName, id, version }, columnsOf(facet, set), selectListOf(facet),
      );
      // Ended: in its end status, or (no status) with an end date that has passed; a planned end
      // date still ahead may be brought forward.
      const endedOn = before[dateField.name];
      const ended = statusField ? before[statusField.name] === end.statusValue : typeof endedOn === 'string' && endedOn <= ctx.today;
      if (ended) throw new AppError('CONFLICT', `${facet.typeName} ${id} has already ended (on ${String(before[dateField.name])})`);
      rulesOrThrow(facet, after);
      return { result: id, entityId: id, regionCode: villageCode, householdId, personId };
    });
    return readBack(ctx, byId, id, facet.typeName);
  }
}

function endOf(facet: FacetDeclaration) {
  const end = facet.mutations !== 'custom' ? facet.mutations.end : undefined;
  if (!end) throw new Error(`${facet.kind} declares no end`);
  return end;
}

export function fieldOf(facet: FacetDeclaration, name: string): FacetField {
  const field = facet.fields.find((f) => f.name === name);
  if (!field) throw new Error(`${facet.kind}: no field ${name}`);
  return field;
}
