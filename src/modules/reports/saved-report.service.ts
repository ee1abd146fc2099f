import { z } from 'zod';
import type { RequestContext } from '../../core/context';
import { AppError, badInput, notFound } from '../../core/errors';
import {
  Department, Gender, HouseholdStatus, HousingGrade, LabourAbility, MeasureKind, PovertyCause, SchoolingStage,
} from '../../core/vocab';
import { divisionPrefix } from '../../core/scope';
import { mutate } from '../../core/writes';
import { AgeBand } from '../registry';
import { ReportDimension, ReportMetric } from './report-catalog';
import { checkDefinition, type ReportDefinition, type ReportFilterValues } from './report-sql';
import type { ReportDefinitionInput, SavedReportNode } from './report.types';

// Saved report definitions: each principal (token subject) sees and changes only their own;
// another's id answers NOT_FOUND, as a missing one does. A definition is checked against the
// catalog on save, and parsed again when read (the catalog may have changed since).

const values = <T extends Record<string, string>>(e: T) => z.enum(Object.values(e) as [T[keyof T], ...Array<T[keyof T]>]);
const list = <T extends z.ZodTypeAny>(item: T) => z.array(item).nullish();

/** A stored definition, as the catalog accepts it today. */
export const definitionSchema = z.object({
  dimensions: z.array(values(ReportDimension)),
  metrics: z.array(values(ReportMetric)),
  filter: z.object({
    regionCode: z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/).nullish(),
    statuses: list(values(HouseholdStatus)),
    mainCauses: list(values(PovertyCause)),
    measureKinds: list(values(MeasureKind)),
    departments: list(values(Department)),
    years: list(z.number().int()),
    housingGrades: list(values(HousingGrade)),
    ageBands: list(values(AgeBand)),
    genders: list(values(Gender)),
    labourAbilities: list(values(LabourAbility)),
    schoolingStages: list(values(SchoolingStage)),
  }).strict().nullish(),
}).strict();

/** The enum of each filter list (GraphQL names them by key, storage by value). */
const FILTER_ENUMS: Record<string, Record<string, string>> = {
  statuses: HouseholdStatus, mainCauses: PovertyCause, measureKinds: MeasureKind, departments: Department, housingGrades: HousingGrade,
  ageBands: AgeBand, genders: Gender, labourAbilities: LabourAbility, schoolingStages: SchoolingStage,
};

/**
 * A filter written as JSON by hand (the CSV export's `filter` parameter) with the values as the
 * GraphQL API names them (`REGISTERED`, `ILLNESS`) or as they are stored (`registered`).
 */
export function filterFromJson(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  return Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([key, value]) => {
    const e = FILTER_ENUMS[key];
    if (!e || !Array.isArray(value)) return [key, value];
    return [key, (value as unknown[]).map((v) => (typeof v === 'string' && Object.prototype.hasOwnProperty.call(e, v) ? e[v] : v))];
  }));
}

/** A definition from GraphQL input or JSON, as a plain object with only the known keys. */
export function parseDefinition(raw: unknown, field = 'definition'): ReportDefinition {
  const parsed = definitionSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badInput([field, ...issue.path.map(String)].join('.'), issue.message);
  }
  const filter: ReportFilterValues | null = parsed.data.filter
    ? Object.fromEntries(Object.entries(parsed.data.filter).filter(([, v]) => v != null))
    : null;
  // A padded 12-digit code names its level (431226000000 is the county 431226).
  if (filter?.regionCode) filter.regionCode = divisionPrefix(filter.regionCode, `${field}.filter.regionCode`);
  const def: ReportDefinition = { dimensions: parsed.data.dimensions, metrics: parsed.data.metrics, filter: filter && Object.keys(filter).length ? filter : null };
  checkDefinition(def);
  return def;
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed.length || trimmed.length > 100) throw badInput('name', 'must have 1 to 100 characters');
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw badInput('name', 'must not contain control characters');
  return trimmed;
}

const COLUMNS = `id::text AS id, name, definition, version, created_at AS "createdAt", updated_at AS "updatedAt"`;

interface SavedRow { id: string; name: string; definition: unknown; version: number; createdAt: Date; updatedAt: Date }

function toNode(row: SavedRow): SavedReportNode {
  return { id: row.id, name: row.name, definition: row.definition as ReportDefinitionInput, version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

const ownerOf = (ctx: RequestContext): string => {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Not authenticated');
  return ctx.principal.subject;
};

/** The caller's saved reports, by name. */
export async function listSavedReports(ctx: RequestContext): Promise<SavedReportNode[]> {
  const rows = await ctx.db.query<SavedRow>(`SELECT ${COLUMNS} FROM saved_report WHERE owner_subject = $1 ORDER BY name, id`, [ownerOf(ctx)]);
  return rows.map(toNode);
}

/** One of the caller's saved reports, its definition parsed against today's catalog. */
export async function savedDefinition(ctx: RequestContext, id: string): Promise<ReportDefinition> {
  if (!/^\d{1,18}$/.test(id)) throw notFound('saved report');
  const rows = await ctx.db.query<{ definition: unknown }>(`SELECT definition FROM saved_report WHERE id = $1 AND owner_subject = $2`, [id, ownerOf(ctx)]);
  if (!rows.length) throw notFound('saved report');
  return parseDefinition(rows[0].definition);
}

/**
 * Saves a new definition, or (with `id` and `version`) changes one of the caller's: audited,
 * with a change event. A name already used by the caller: CONFLICT.
 */
export async function saveReport(
  ctx: RequestContext,
  input: { name: string; definition: ReportDefinitionInput; id?: string | null; version?: number | null },
): Promise<SavedReportNode> {
  const owner = ownerOf(ctx);
  const isUpdate = input.id != null;
  const regionCode = ctx.principal?.scope ?? '';
  return mutate(ctx, { action: isUpdate ? 'update' : 'create', entity: 'SavedReport', entityId: input.id ?? null, fields: ['name', 'definition'], regionCode }, async (tx) => {
    const name = checkName(input.name);
    const definition = parseDefinition(input.definition);
    const duplicate: Array<{ id: string }> = await tx.query(
      `SELECT id::text AS id FROM saved_report WHERE owner_subject = $1 AND name = $2 AND id <> $3`, [owner, name, input.id ?? '0'],
    );
    if (duplicate.length) throw new AppError('CONFLICT', `you already have a saved report named "${name}" (id ${duplicate[0].id})`);
    let rows: SavedRow[];
    if (!isUpdate) {
      rows = await tx.query(`INSERT INTO saved_report (owner_subject, name, definition) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`, [owner, name, JSON.stringify(definition)]);
    } else {
      const id = input.id as string;
      if (!/^\d{1,18}$/.test(id)) throw notFound('saved report');
      if (input.version == null) throw badInput('version', 'send the version you read to change a saved report');
      rows = await tx.query(
        `WITH updated AS (UPDATE saved_report SET name = $3, definition = $4, version = version + 1, updated_at = now()
            WHERE id = $1 AND owner_subject = $2 AND version = $5 RETURNING ${COLUMNS}) SELECT * FROM updated`,
        [id, owner, name, JSON.stringify(definition), input.version],
      );
      if (!rows.length) await refuseChange(tx, id, owner);
    }
    return { result: toNode(rows[0]), entityId: rows[0].id, regionCode };
  });
}

/** Deletes one of the caller's saved reports (at `version`, when given). */
export async function deleteReport(ctx: RequestContext, id: string, version?: number | null): Promise<string> {
  const owner = ownerOf(ctx);
  const regionCode = ctx.principal?.scope ?? '';
  return mutate(ctx, { action: 'delete', entity: 'SavedReport', entityId: id, fields: [], regionCode }, async (tx) => {
    if (!/^\d{1,18}$/.test(id)) throw notFound('saved report');
    const rows: Array<{ id: string }> = await tx.query(
      `WITH deleted AS (DELETE FROM saved_report WHERE id = $1 AND owner_subject = $2 AND ($3::int IS NULL OR version = $3) RETURNING id::text AS id) SELECT * FROM deleted`,
      [id, owner, version ?? null],
    );
    if (!rows.length) await refuseChange(tx, id, owner);
    return { result: id, entityId: id, regionCode };
  });
}

/** No row changed: missing or another's (NOT_FOUND, the same answer), or changed since read (CONFLICT). */
async function refuseChange(tx: { query: (sql: string, params: unknown[]) => Promise<Array<{ version: number }>> }, id: string, owner: string): Promise<never> {
  const existing = await tx.query(`SELECT version FROM saved_report WHERE id = $1 AND owner_subject = $2`, [id, owner]);
  if (!existing.length) throw notFound('saved report');
  throw new AppError('CONFLICT', `saved report ${id} was changed since you read it (now at version ${existing[0].version}); reload it and try again`, {
    currentVersion: existing[0].version,
  });
}
