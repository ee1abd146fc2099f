import type { RequestContext } from '../../core/context';
import { badInput } from '../../core/errors';
import { decodeCursor, toConnection, type ConnectionValue } from '../../core/pagination';
import { divisionPrefix, regionPredicate } from '../../core/scope';
import { verifyAuditChain, type AuditChainFinding } from './audit-chain';
import { readAuditCheckpoints } from './audit-checkpoint';
import type { AuditChainFindingKind, AuditChainVerificationNode, AuditLogFilter, AuditRecordNode } from './audit.types';

// Reading the audit log (审计日志) for auditors: one SQL statement per page, scope as a
// predicate inside it, plain rows out (DESIGN §4a).

/** Findings listed by the GraphQL verifier; the rest are counted in `truncated`. */
const MAX_LISTED_FINDINGS = 1000;

const COLUMNS = `a.id::text AS id, a.seq::text AS seq, a.occurred_at AS "occurredAt", a.subject, a.role, a.department, a.action, a.entity,
  a.entity_id AS "entityId", a.fields, a.purpose, a.request_id AS "requestId", a.outcome, a.region_code AS "regionCode",
  a.prev_hash AS "prevHash", a.hash`;

/** The WHERE clause of a filtered, scoped audit query; parameters from $`first`. */
function whereOf(ctx: RequestContext, filter: AuditLogFilter, first: number): { sql: string; params: unknown[] } {
  const requested = filter.regionCode ? divisionPrefix(filter.regionCode, 'filter.regionCode') : '';
  const scope = regionPredicate(ctx.scope, 'a.region_code', first, requested);
  const clauses = [scope.sql];
  const params: unknown[] = [...scope.params];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(sql(`$${first + params.length - 1}`));
  };
  if (filter.entity != null) add((p) => `a.entity = ${p}`, filter.entity);
  if (filter.entityId != null) add((p) => `a.entity_id = ${p}`, filter.entityId);
  if (filter.subject != null) add((p) => `a.subject = ${p}`, filter.subject);
  if (filter.action != null) add((p) => `a.action = ${p}`, filter.action);
  if (filter.outcome != null) add((p) => `a.outcome = ${p}`, filter.outcome);
  if (filter.from != null) add((p) => `a.occurred_at >= ${p}`, filter.from);
  if (filter.to != null) add((p) => `a.occurred_at < ${p}`, filter.to);
  return { sql: clauses.join(' AND '), params };
}

export class AuditService {
  /** A page of audit records inside the caller's scope, oldest first (keyset on id). */
  static async page(ctx: RequestContext, filter: AuditLogFilter, first: number, after: string | null | undefined): Promise<ConnectionValue<AuditRecordNode>> {
    if (filter.from && filter.to && filter.to < filter.from) throw badInput('filter.to', 'must not be before filter.from');
    const cursor = decodeCursor(after);
    const where = whereOf(ctx, filter, 3);
    const rows = await ctx.db.query<AuditRecordNode>(
      `SELECT ${COLUMNS} FROM audit_record a
        WHERE ($1::bigint IS NULL OR a.id > $1::bigint) AND ${where.sql}
        ORDER BY a.id LIMIT $2`,
      [cursor, first + 1, ...where.params],
    );
    return toConnection(rows, { first, after }, async () => {
      const counted = whereOf(ctx, filter, 1);
      const [row] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_record a WHERE ${counted.sql}`, counted.params);
      return row.n;
    });
  }

  /**
   * Re-hashes the whole chain (it is one global sequence: a region's records cannot be checked
   * without the records between them) and names findings on records inside the caller's
   * scope; removed records are named by seq to every auditor, since their region is gone with
   * them and a position reveals nothing. Everything else is counted only.
   */
  static async verify(ctx: RequestContext, range: { fromSeq: bigint | null; toSeq: bigint | null }): Promise<AuditChainVerificationNode> {
    const prefix = ctx.scope.regionPrefix;
    const visible = (f: AuditChainFinding) => f.regionCode === null || f.regionCode.startsWith(prefix);
    // Checkpoints first: one written after the head is read would look like a head moved back.
    const checkpoints = await readAuditCheckpoints();
    const report = await verifyAuditChain(ctx.db, { ...range, visible, maxFindings: MAX_LISTED_FINDINGS, checkpoints });
    return {
      intact: report.intact,
      checkedRecords: report.checked,
      headSeq: report.headSeq,
      headHash: report.headHash,
      findings: report.findings.map((f) => ({ ...f, kind: f.kind as AuditChainFindingKind })),
      findingsOutsideScope: report.hiddenFindings,
      truncated: report.truncated,
      checkpoint: report.checkpoint && { ...report.checkpoint, at: new Date(report.checkpoint.at) },
      rejectedCheckpoints: report.rejectedCheckpoints,
    };
  }
}
