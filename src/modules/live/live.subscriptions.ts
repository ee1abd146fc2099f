import { ALL_DEPARTMENTS, Role, type Permission } from '../../core/auth';
import { stripPadding } from '../../core/scope';
import { gapsById, GapNode } from '../coordination';
import { ImportBatchNode, ImportBatchService } from '../ingest';
import { measureById, MeasureNode } from '../poverty-office';
import { procedureById, ProcedureNode } from '../procedures';
import { underScope } from './live-declaration';
import { liveSubscription } from './live-subscription';

// The live subscriptions (实时订阅, issue 12 §5), one declaration each: the events they carry,
// a cheap pre-check on the event row, and the loader of the record with the visibility of its
// query fields.

/** 帮扶措施变更: a measure was created or changed. Who may read measures (扶贫办, coordinators), in scope. */
const measureChanged = liveSubscription<MeasureNode>({
  name: 'measureChanged',
  payloadName: 'MeasureChange',
  nodeField: 'measure',
  nodeType: MeasureNode,
  description: '帮扶措施变更 a measure (六个到村到户) in your scope was created or changed, on any server instance. 扶贫办 the poverty office and coordinators.',
  permissions: ['facet:poverty_office:read'],
  entities: ['Measure'],
  mayConcern: (e, p) => underScope(e.regionCode, p.scope),
  // measureById: the loader Household.measures and the measure mutations read with (scope inside).
  // Measure's fields are its own columns: the same for everyone in a visibility group.
  shareResults: true,
  load: async (ctx, ids) => {
    const rows = await ctx.loaders.get(measureById).loadMany(ids);
    return new Map(rows.flatMap((m) => (m && !(m instanceof Error) ? [[m.id, m] as [string, MeasureNode]] : [])));
  },
});

/** 协调缺口变更: a gap opened, was acknowledged or resolved. The gaps:read rules (gapVisibility). */
const gapChanged = liveSubscription<GapNode>({
  name: 'gapChanged',
  payloadName: 'CoordinationGapChange',
  nodeField: 'gap',
  nodeType: GapNode,
  description: '协调缺口变更 a coordination gap in your scope opened, was acknowledged or was resolved, on any server instance: an officer hears of the gaps their department owns, a coordinator of all.',
  permissions: ['gaps:read'],
  entities: ['CoordinationGap'],
  mayConcern: (e, p) => underScope(e.regionCode, p.scope) && (p.role !== Role.OFFICER || e.department === p.department),
  // CoordinationGap's fields are its own columns (ids, not edges): the same for everyone in a group.
  shareResults: true,
  load: gapsById,
});

/** 导入完成: an import batch committed (applied or refused whole). The importBatches rules. */
const importFinished = liveSubscription<ImportBatchNode>({
  name: 'importFinished',
  payloadName: 'ImportFinished',
  nodeField: 'batch',
  nodeType: ImportBatchNode,
  description: '导入完成 an import batch of your department (officers) or any (auditors), run inside your region, has committed, on any server instance.',
  permissions: [...ALL_DEPARTMENTS.map((d) => `facet:${d}:write` as Permission), 'audit:read'],
  entities: ['ImportBatch'],
  // The event's region is the importer's scope (padded): a batch is seen under scopes that contain it.
  mayConcern: (e, p) => stripPadding(e.regionCode).startsWith(p.scope) && (p.role !== Role.OFFICER || e.department === p.department),
  // ImportBatch's columns, and its rejects (row numbers and codes, no personal field, not audited per reader).
  shareResults: true,
  load: (ctx, ids) => ImportBatchService.byIds(ctx, ids) as unknown as Promise<Map<string, ImportBatchNode>>,
});

/** 程序推进: a procedure was applied for, took a step, or had an objection raised or resolved. The procedure:read rules. */
const procedureAdvanced = liveSubscription<ProcedureNode>({
  name: 'procedureAdvanced',
  payloadName: 'ProcedureAdvance',
  nodeField: 'procedure',
  nodeType: ProcedureNode,
  description: '程序推进 an identification, exit or monitoring-inclusion procedure in your scope was applied for, took a step, or had an objection raised or resolved, on any server instance. Coordinators and 扶贫办 the poverty office.',
  permissions: ['procedure:read'],
  entities: ['procedure'],
  mayConcern: (e, p) => underScope(e.regionCode, p.scope),
  // A procedure reaches its household and the members' fields, whose unmasked reads are audited per reader: never shared.
  shareResults: false,
  // procedureById: the loader Query.procedure reads with (the household's village inside scope).
  load: async (ctx, ids) => {
    const rows = await ctx.loaders.get(procedureById).loadMany(ids);
    return new Map(rows.flatMap((p) => (p && !(p instanceof Error) ? [[p.id, p] as [string, ProcedureNode]] : [])));
  },
});

/** Resolver classes of the live subscriptions. */
export const liveSubscriptionResolvers: Function[] = [measureChanged, gapChanged, importFinished, procedureAdvanced];
