import { Arg, Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { badInput } from '../../core/errors';
import { PageArgs } from '../../core/pagination';
import { AuditService } from './audit.service';
import { AuditChainVerificationNode, AuditLogFilter, AuditRecordConnection } from './audit.types';

function seqArg(value: string | null | undefined, field: string): bigint | null {
  if (value == null) return null;
  if (!/^\d{1,18}$/.test(value)) throw badInput(field, 'a chain position is a decimal number of up to 18 digits');
  return BigInt(value);
}

/** The audit log (审计日志): auditors (审计/纪检) only, inside their region. */
@Resolver()
export class AuditResolver {
  @Query(() => AuditRecordConnection, {
    description: '审计日志 audit records inside your scope, oldest first: every mutation (refusals included) and every read of an unmasked personal field.',
  })
  @Authorized<Permission>('audit:read')
  auditLog(
    @Ctx() ctx: RequestContext,
    @Args() page: PageArgs,
    @Arg('filter', () => AuditLogFilter, { nullable: true }) filter?: AuditLogFilter,
  ) {
    return AuditService.page(ctx, filter ?? {}, page.first, page.after);
  }

  @Query(() => AuditChainVerificationNode, {
    description:
      '审计链校验 re-hash the audit chain and name what was altered or removed, holding it to the signed checkpoints kept outside the database (so a cut tail or a wiped table shows). The chain is one global sequence and is walked in full (or from fromSeq to toSeq); records are named only inside your scope, removed records by seq to every auditor, other findings are counted.',
  })
  @Authorized<Permission>('audit:read')
  verifyAuditChain(
    @Ctx() ctx: RequestContext,
    @Arg('fromSeq', () => String, { nullable: true, description: '起始序号 first chain position to check (default: the first).' }) fromSeq?: string | null,
    @Arg('toSeq', () => String, { nullable: true, description: '截止序号 last chain position to check (default: the head).' }) toSeq?: string | null,
  ): Promise<AuditChainVerificationNode> {
    return AuditService.verify(ctx, { fromSeq: seqArg(fromSeq, 'fromSeq'), toSeq: seqArg(toSeq, 'toSeq') });
  }
}
