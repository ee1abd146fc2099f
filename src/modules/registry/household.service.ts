import type { RequestContext } from '../../core/context';
import { notFound } from '../../core/errors';
import { ConnectionValue, decodeCursor, toConnection } from '../../core/pagination';
import { divisionPrefix } from '../../core/scope';
import { householdById, householdByNumber, householdCountByRegion, householdsByRegion } from './household.loaders';
import type { HouseholdFilter, HouseholdNode } from './registry.types';

/** Reads of the 建档立卡 household registry. Scope is applied inside the loaders' SQL. */
export class HouseholdService {
  static async get(ctx: RequestContext, id: string): Promise<HouseholdNode> {
    if (!/^\d{1,18}$/.test(id)) throw notFound('household');
    const household = await ctx.loaders.get(householdById).load(id);
    if (!household) throw notFound('household');
    return household;
  }

  static async getByNumber(ctx: RequestContext, number: string): Promise<HouseholdNode> {
    const household = await ctx.loaders.get(householdByNumber).load(number);
    if (!household) throw notFound('household');
    return household;
  }

  /** A page of households under `regionPrefix` ('' = everywhere in scope) matching `filter`. */
  static async page(
    ctx: RequestContext,
    regionPrefix: string,
    filter: HouseholdFilter,
    page: { first: number; after?: string | null },
  ): Promise<ConnectionValue<HouseholdNode>> {
    const after = decodeCursor(page.after);
    const rows = await householdsByRegion(ctx, filter, { first: page.first, after }).load(regionPrefix);
    return toConnection(rows, page, () => householdCountByRegion(ctx, filter).load(regionPrefix));
  }

  /** The region prefix a filter asks for, normalised ('' when none). */
  static filterPrefix(filter: HouseholdFilter | undefined | null): string {
    return filter?.regionCode ? divisionPrefix(filter.regionCode, 'filter.regionCode') : '';
  }
}
