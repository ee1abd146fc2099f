import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { notFound } from '../../core/errors';
import { FACETS, facetByKind } from '../facets';
import { importSpecOf } from './import-spec';
import { ImportSpecNode } from './import-spec.types';

// The published column spec is reference data (no personal data): every authenticated role
// reads it under 'region:read', like the region tree.
@Resolver()
export class ImportSpecResolver {
  @Query(() => [ImportSpecNode], { description: '导入导出类型 every kind that imports and exports as CSV, with its column spec.' })
  @Authorized<Permission>('region:read')
  importKinds(@Ctx() ctx: RequestContext): ImportSpecNode[] {
    return FACETS.map((f) => importSpecOf(f, ctx.today));
  }

  @Query(() => ImportSpecNode, { description: '导入导出规范 the CSV column spec of one kind (headers in English and Chinese, types, required, allowed values). NOT_FOUND for an unknown kind.' })
  @Authorized<Permission>('region:read')
  importSpec(
    @Ctx() ctx: RequestContext,
    @Arg('kind', () => String, { description: 'The kind, as in the import and export URLs (类型), e.g. `insurance-enrolment`.' }) kind: string,
  ): ImportSpecNode {
    const facet = facetByKind(kind);
    if (!facet) throw notFound('import kind');
    return importSpecOf(facet, ctx.today);
  }
}
