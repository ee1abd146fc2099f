import DataLoader from 'dataloader';
import { GraphQLScalarType } from 'graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ALL_DEPARTMENTS, type Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { AppError, badInput, notFound } from '../../core/errors';
import { groupBy } from '../../core/loaders';
import { PageArgs } from '../../core/pagination';
import { recordAuditAlone } from '../audit';
import { ImportBatchService, type ImportRejectRow } from './import-batch.service';
import { assertMayImport, checkBatchKey, runImport, type ImportBatchRow, type ImportTarget } from './import-engine';
import { refused } from './import-errors';
import { importLimits } from './import-limits';
import { importTargetOf } from './registry-targets';
import { ImportBatchConnection, ImportBatchFilter, ImportBatchNode, ImportBatchResultNode, ImportModeValue, ImportRejectNode } from './import.types';

// Imports over GraphQL (issue 8 §3, §7): small JSON batches through the same engine as the CSV
// route, and the batch records afterwards. The root checks admit any department's officer (and
// auditors for reading); the engine and the visibility predicate then decide per department.

/** One row of a JSON batch: an object keyed by CSV header. */
const ImportRow = new GraphQLScalarType({
  ...GraphQLJSONObject.toConfig(),
  name: 'JSONObject',
  description: '数据行 a JSON object: one import row keyed by the kind’s CSV headers (idNumber/身份证号, …), values as text, numbers or booleans.',
});

const IMPORTERS = ALL_DEPARTMENTS.map((d) => `facet:${d}:write` as Permission);
const BATCH_READERS: Permission[] = [...IMPORTERS, 'audit:read'];

/** A JSON value as the CSV cell it stands for. */
function cellOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Rows keyed by header as records: the header (canonical names, in order of first appearance),
 * then each row. A row may use English or Chinese keys; one naming a column twice is refused.
 */
async function* recordsOf(facet: ImportTarget, rows: Record<string, unknown>[]): AsyncGenerator<string[]> {
  const spec = facet.spec;
  const canonical = (k: string) => spec.find((c) => c.header.toLowerCase() === k.trim().toLowerCase() || c.zh === k.trim())?.header ?? k;
  const keys: string[] = [];
  const normalised = rows.map((row, i) => {
    const out = new Map<string, unknown>();
    for (const [k, v] of Object.entries(row)) {
      const name = canonical(k);
      if (out.has(name)) throw refused('DUPLICATE_COLUMN', `row ${i + 1} names column "${name}" twice`, `第 ${i + 1} 行重复给出“${name}”列`, { row: i + 1, column: k });
      out.set(name, v);
      if (!keys.includes(name)) keys.push(name);
    }
    return out;
  });
  yield keys;
  for (const row of normalised) yield keys.map((k) => cellOf(row.get(k)));
}

/** importRejectsByBatchId: batch id → its first `first` rejects, in row order (one statement per page of batches). */
const importRejectsByBatchId = (ctx: RequestContext, first: number) =>
  ctx.loaders.keyed(`importRejectsByBatchId:${first}`, () => new DataLoader<string, ImportRejectRow[], string>(async (ids) => {
    const rows = await ctx.db.query<ImportRejectRow & { batchId: string }>(
      `SELECT x.id, x."batchId", x."rowNumber", x."column", x.code, x.message, x."messageZh" FROM (
         SELECT r.id::text AS id, r.batch_id::text AS "batchId", r.row_number AS "rowNumber", r.column_name AS "column", r.code, r.message,
                r.message_zh AS "messageZh", row_number() OVER (PARTITION BY r.batch_id ORDER BY r.id) AS n
           FROM import_reject r WHERE r.batch_id = ANY($1::bigint[])) x
        WHERE x.n <= $2 ORDER BY x."batchId", x.id`,
      [ids, first],
    );
    return groupBy(ids, rows, (r) => r.batchId);
  }));

@Resolver(() => ImportBatchNode)
export class ImportResolver {
  @Mutation(() => ImportBatchResultNode, {
    name: 'importBatch',
    description:
      '批量导入 import a small batch of rows (objects keyed by the kind’s CSV headers, English or Chinese) through the same checks as POST /imports/:department/:kind. ' +
      'Officers of the kind’s owner department only; every row must lie in your region. The same batchKey with the same rows answers the first result and changes nothing; with other rows it is refused (CONFLICT). ' +
      'Row problems are listed as rejects; a batch that cannot be read at all is BAD_USER_INPUT with extensions.reason.',
  })
  @Authorized<Permission>(...IMPORTERS)
  async runImportBatch(
    @Ctx() ctx: RequestContext,
    @Arg('kind', { description: '导入类型 the import kind, e.g. insurance-enrolment.' }) kind: string,
    @Arg('rows', () => [ImportRow], { description: '数据行 the rows, keyed by header (idNumber/身份证号, year/参保年度, …).' }) rows: Record<string, unknown>[],
    @Arg('batchKey', { description: '批次号 1–128 letters, digits and . : @ _ -; the same for every re-sending of one batch.' }) batchKey: string,
    @Arg('mode', () => ImportModeValue, { defaultValue: ImportModeValue.ALL_OR_NOTHING, description: '导入方式 all-or-nothing (default) or apply-valid.' }) mode: ImportModeValue,
  ): Promise<ImportBatchResultNode> {
    const facet = importTargetOf(kind);
    if (!facet) throw badInput('kind', `no import kind "${kind}"`);
    try {
      assertMayImport(ctx, facet);
    } catch (err) {
      // Refused by the kind's department, after the root check let the caller in: audited as that one is.
      await recordAuditAlone(ctx, [{ action: 'create', entity: 'Mutation.importBatch', entityId: null, fields: [], outcome: 'forbidden', regionCode: ctx.principal?.scope ?? '', purpose: `import ${facet.kind}` }]);
      throw err;
    }
    const key = checkBatchKey(batchKey);
    const limits = importLimits();
    if (rows.length > limits.maxJsonRows) {
      throw refused('TOO_MANY_ROWS', `importBatch takes at most ${limits.maxJsonRows} rows (IMPORT_MAX_JSON_ROWS); send larger batches to POST /imports/${facet.department}/${facet.kind}`,
        `importBatch 每次最多 ${limits.maxJsonRows} 行；更大的批次请用 POST /imports/${facet.department}/${facet.kind}`, { limit: limits.maxJsonRows });
    }
    const outcome = await runImport(ctx, { facet, batchKey: key, mode, encoding: 'json', bom: false, records: recordsOf(facet, rows), limits });
    return { batch: outcome.batch as unknown as ImportBatchNode, replayed: outcome.replayed };
  }

  @Query(() => ImportBatchConnection, { description: '导入批次 import batches you may see, newest first: your department’s (officers) or all (auditors), run inside your region.' })
  @Authorized<Permission>(...BATCH_READERS)
  importBatches(@Ctx() ctx: RequestContext, @Args() page: PageArgs, @Arg('filter', () => ImportBatchFilter, { nullable: true }) filter?: ImportBatchFilter) {
    return ImportBatchService.page(ctx, filter ?? {}, page.first, page.after);
  }

  @Query(() => ImportBatchNode, { description: '导入批次 one import batch by id. NOT_FOUND when missing or not yours to see (another department, outside your region).' })
  @Authorized<Permission>(...BATCH_READERS)
  async importBatch(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: '批次编号 the batch id.' }) id: string): Promise<ImportBatchRow> {
    const batch = await ImportBatchService.byId(ctx, id);
    if (!batch) throw notFound('import batch');
    return batch;
  }

  @FieldResolver(() => [ImportRejectNode], { description: '拒绝行 the batch’s rejects in row order, the first `first` of them (all of them: GET /imports/batches/:id/rejects.csv).' })
  @Authorized<Permission>(...BATCH_READERS)
  rejects(
    @Ctx() ctx: RequestContext,
    @Root() batch: ImportBatchNode,
    @Arg('first', () => Int, { defaultValue: 100, description: 'How many, 1–1000.' }) first: number,
  ): Promise<ImportRejectRow[]> | ImportRejectRow[] {
    if (first < 1 || first > 1000) throw new AppError('BAD_USER_INPUT', 'first: must be from 1 to 1000', { field: 'first' });
    if (batch.rejected === 0) return [];
    return importRejectsByBatchId(ctx, first).load(batch.id);
  }
}
