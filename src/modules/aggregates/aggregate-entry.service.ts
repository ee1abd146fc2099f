import type { EntityManager } from 'typeorm';
import { Role } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { AppError, badInput, notFound } from '../../core/errors';
import { padCode, prefixRange } from '../../core/scope';
import { mutate } from '../../core/writes';
import { Department } from '../../core/vocab';
import { checkCode, checkEntryDefinition, type EntryDefinition } from './aggregate-catalog';
import { RELEASE_LOCK, writeRelease, type ReleaseSummary } from './aggregate-release.service';
import type { AggregateEntryStatusValue } from './aggregate.entities';
import type { AggregateEntryNode, AggregateEntryVersionNode } from './aggregate.types';

// The lifecycle of a catalog entry (issue 9 §2): an analyst or coordinator proposes it; the
// poverty office (扶贫办) approves, revises or retires it. Every change is a new version, kept in
// aggregate_entry_version; every change is audited and carries a change event (core/writes.ts).
// Approval, revision and retirement write a new release of the whole catalog in the same
// transaction (aggregate-release.service.ts): what is approved is what is published.

const COLUMNS = `e.id::text AS id, e.code, e.status, e.version, e.region_code AS "regionCode", e.metric, e.dimensions, e.levels, e.years,
  e.description_zh AS "descriptionZh", e.description_en AS "descriptionEn", e.proposed_by AS "proposedBy", e.approved_by AS "approvedBy",
  e.approved_at AS "approvedAt", e.created_at AS "createdAt", e.updated_at AS "updatedAt"`;

/** An entry row (SQL above) as the API shows it: fields copied one by one. */
export type EntryRow = { [K in keyof AggregateEntryNode as K extends 'region' ? 'regionCode' : K]: AggregateEntryNode[K] };
/** A row of an entry's version (entryVersions). */
type VersionRow = { [K in keyof AggregateEntryVersionNode as K extends 'region' ? 'regionCode' : K]: AggregateEntryVersionNode[K] };

/** An entry row (SQL above) as the API shows it: fields copied one by one. */
export function toEntryNode(r: EntryRow): AggregateEntryNode {
  return {
    id: r.id, code: r.code, status: r.status, version: r.version, region: r.regionCode, metric: r.metric, dimensions: r.dimensions,
    levels: r.levels, years: r.years, descriptionZh: r.descriptionZh, descriptionEn: r.descriptionEn,
    proposedBy: r.proposedBy, approvedBy: r.approvedBy, approvedAt: r.approvedAt, createdAt: r.createdAt, updatedAt: r.updatedAt,
  };
}

export const ENTRY_COLUMNS = COLUMNS;

const subjectOf = (ctx: RequestContext): string => {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Not authenticated');
  return ctx.principal.subject;
};

/**
 * The entry's region must be a division inside the caller's scope (a county office approves its
 * county's entries); one outside answers NOT_FOUND, as a missing one does.
 */
async function checkRegionInScope(ctx: RequestContext, tx: EntityManager, region: string): Promise<void> {
  const scope = ctx.principal?.scope ?? '-';
  const found: unknown[] = /^\d{2,12}$/.test(region) && region.startsWith(scope)
    ? await tx.query(`SELECT 1 FROM region WHERE code = $1`, [padCode(region)])
    : [];
  if (!found.length) throw notFound('region');
}

/** Only an officer of the poverty office approves, revises and retires (the permission says so too; this is the second lock). */
function checkPovertyOffice(ctx: RequestContext): void {
  const p = ctx.principal;
  if (!p || p.role !== Role.OFFICER || p.department !== Department.POVERTY_OFFICE) {
    throw new AppError('FORBIDDEN', 'only the poverty office (扶贫办) approves, revises and retires catalog entries');
  }
}

async function recordVersion(tx: EntityManager, entryId: string, action: string, subject: string): Promise<void> {
  await tx.query(
    `INSERT INTO aggregate_entry_version (entry_id, version, action, status, region_code, metric, dimensions, levels, years, description_zh, description_en, changed_by)
     SELECT id, version, $2, status, region_code, metric, dimensions, levels, years, description_zh, description_en, $3 FROM aggregate_entry WHERE id = $1`,
    [entryId, action, subject],
  );
}

/** Proposes a new entry (status proposed, version 1). A code already used: CONFLICT. */
export async function proposeEntry(ctx: RequestContext, code: string, input: EntryDefinition): Promise<AggregateEntryNode> {
  const subject = subjectOf(ctx);
  return mutate(ctx, { action: 'create', entity: 'AggregateEntry', entityId: code, fields: Object.keys(input), regionCode: input.region }, async (tx) => {
    checkCode(code);
    await checkRegionInScope(ctx, tx, input.region);
    const def = checkEntryDefinition(input, ctx.today);
    const taken: unknown[] = await tx.query(`SELECT 1 FROM aggregate_entry WHERE code = $1`, [code]);
    if (taken.length) throw new AppError('CONFLICT', `a catalog entry with code "${code}" already exists`);
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO aggregate_entry (code, status, region_code, metric, dimensions, levels, years, description_zh, description_en, proposed_by)
       VALUES ($1, 'proposed', $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id::text AS id`,
      [code, def.region, def.metric, def.dimensions, def.levels, def.years, def.descriptionZh, def.descriptionEn, subject],
    );
    await recordVersion(tx, rows[0].id, 'propose', subject);
    return { result: await entryIn(tx, rows[0].id), entityId: rows[0].id, regionCode: def.region };
  });
}

async function entryIn(tx: EntityManager, id: string): Promise<AggregateEntryNode> {
  const rows: EntryRow[] = await tx.query(`SELECT ${COLUMNS} FROM aggregate_entry e WHERE e.id = $1`, [id]);
  return toEntryNode(rows[0]);
}

type Transition = 'approve' | 'revise' | 'retire';
const ALLOWED_FROM: Record<Transition, AggregateEntryStatusValue[]> = {
  approve: ['proposed'],
  revise: ['proposed', 'approved'],
  retire: ['proposed', 'approved'],
};

/**
 * Approves, revises (a new definition, approved as revised) or retires an entry at the version
 * the caller read, then writes a new release of the catalog. Another version: CONFLICT.
 */
export async function changeEntry(
  ctx: RequestContext, action: Transition, code: string, version: number, input?: EntryDefinition,
): Promise<{ entry: AggregateEntryNode; release: ReleaseSummary }> {
  const subject = subjectOf(ctx);
  return mutate(ctx, { action: 'update', entity: 'AggregateEntry', entityId: code, fields: action === 'revise' ? ['status', ...Object.keys(input ?? {})] : ['status'] }, async (tx) => {
    checkPovertyOffice(ctx);
    await tx.query(RELEASE_LOCK);
    const found: Array<{ id: string; status: AggregateEntryStatusValue; version: number; regionCode: string }> = await tx.query(
      `SELECT id::text AS id, status, version, region_code AS "regionCode" FROM aggregate_entry WHERE code = $1 FOR NO KEY UPDATE`, [code],
    );
    const current = found[0];
    if (!current || !(current.regionCode.startsWith(ctx.principal?.scope ?? '-'))) throw notFound('catalog entry');
    if (current.version !== version) {
      throw new AppError('CONFLICT', `catalog entry ${code} is at version ${current.version}, not ${version}; reload it and try again`, { currentVersion: current.version });
    }
    if (!ALLOWED_FROM[action].includes(current.status)) throw new AppError('CONFLICT', `a ${current.status} entry cannot be ${action === 'approve' ? 'approved' : action === 'revise' ? 'revised' : 'retired'}`);
    if (action === 'revise') {
      if (!input) throw badInput('input', 'a revision needs the new definition');
      await checkRegionInScope(ctx, tx, input.region);
      const def = checkEntryDefinition(input, ctx.today);
      await tx.query(
        `UPDATE aggregate_entry SET region_code = $2, metric = $3, dimensions = $4, levels = $5, years = $6, description_zh = $7, description_en = $8,
            status = 'approved', approved_by = $9, approved_at = now(), version = version + 1, updated_at = now() WHERE id = $1`,
        [current.id, def.region, def.metric, def.dimensions, def.levels, def.years, def.descriptionZh, def.descriptionEn, subject],
      );
    } else if (action === 'approve') {
      await tx.query(`UPDATE aggregate_entry SET status = 'approved', approved_by = $2, approved_at = now(), version = version + 1, updated_at = now() WHERE id = $1`, [current.id, subject]);
    } else {
      await tx.query(`UPDATE aggregate_entry SET status = 'retired', version = version + 1, updated_at = now() WHERE id = $1`, [current.id]);
    }
    await recordVersion(tx, current.id, action, subject);
    const release = await writeRelease(tx, action);
    return { result: { entry: await entryIn(tx, current.id), release }, entityId: current.id, regionCode: current.regionCode };
  });
}

/** Writes a new release of every approved entry (the refresh mutation; audited). */
export async function refreshRelease(ctx: RequestContext): Promise<ReleaseSummary> {
  return mutate(ctx, { action: 'update', entity: 'AggregateRelease', entityId: null, fields: [] }, async (tx) => {
    checkPovertyOffice(ctx);
    const release = await writeRelease(tx, 'refresh');
    return { result: release, entityId: release.id, regionCode: ctx.principal?.scope ?? '' };
  });
}

/** Entries of the catalog in any status whose region lies inside the caller's scope (staff: proposals and history). */
export async function listEntries(ctx: RequestContext, statuses: AggregateEntryStatusValue[] | null): Promise<AggregateEntryNode[]> {
  const scope = ctx.principal?.scope ?? '-';
  const rows = await ctx.db.query<EntryRow>(
    `SELECT ${COLUMNS} FROM aggregate_entry e
      WHERE ($1::text[] IS NULL OR e.status = ANY($1::text[])) AND ${prefixRange('e.region_code', '$2')}
      ORDER BY e.code`,
    [statuses, scope],
  );
  return rows.map(toEntryNode);
}

/** Every version of one entry, oldest first. */
export async function entryVersions(ctx: RequestContext, code: string): Promise<AggregateEntryVersionNode[]> {
  const scope = ctx.principal?.scope ?? '-';
  const rows = await ctx.db.query<VersionRow>(
    `SELECT v.version, v.action, v.status, v.region_code AS "regionCode", v.metric, v.dimensions, v.levels, v.years,
            v.description_zh AS "descriptionZh", v.description_en AS "descriptionEn", v.changed_by AS "changedBy", v.changed_at AS "changedAt"
       FROM aggregate_entry e JOIN aggregate_entry_version v ON v.entry_id = e.id
      WHERE e.code = $1 AND ${prefixRange('e.region_code', '$2')} ORDER BY v.version`,
    [code, scope],
  );
  if (!rows.length) throw notFound('catalog entry');
  return rows.map((r) => ({
    version: r.version, action: r.action, status: r.status, region: r.regionCode, metric: r.metric, dimensions: r.dimensions, levels: r.levels,
    years: r.years, descriptionZh: r.descriptionZh, descriptionEn: r.descriptionEn, changedBy: r.changedBy, changedAt: r.changedAt,
  }));
}
