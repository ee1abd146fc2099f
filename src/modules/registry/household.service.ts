import type { RequestContext } from '../../core/context';
import { notFound } from '../../core/errors';
import { ConnectionValue, decodeCursor, toConnection } from '../../core/pagination';
import { divisionPrefix } from '../../core/scope';
import { NO_READ_AHEAD, ReadAhead } from './household-read-ahead';
import { householdCountByRegion, householdsByRegion, householdsWithReadAhead } from './household.loaders';
import type { HouseholdFilter, HouseholdNode } from './registry.types';

/**
 * Reads of the 建档立卡 household registry. Scope is applied inside the loaders' SQL. `readAhead`
 * names relations to load in the same statement (household-read-ahead.ts).
 */
export class HouseholdService {
  static async get(ctx: RequestContext, id: string, readAhead: ReadAhead = NO_READ_AHEAD): Promise<HouseholdNode> {
    if (!/^\d{1,18}$/.test(id)) throw notFound('household');
    const household = await householdsWithReadAhead(ctx, 'id', readAhead).load(id);
    if (!household) throw notFound('household');
    return household;
  }

  static async getByNumber(ctx: RequestContext, number: string, readAhead: ReadAhead = NO_READ_AHEAD): Promise<HouseholdNode> {
    const household = await householdsWithReadAhead(ctx, 'number', readAhead).load(number);
    if (!household) throw notFound('household');
    return household;
  }

  /** A page of households under `regionPrefix` ('' = everywhere in scope) matching `filter`. */
  static async page(
    ctx: RequestContext,
    regionPrefix: string,
    filter: HouseholdFilter,
    page: { first: number; after?: string | null },
    readAhead: ReadAhead = NO_READ_AHEAD,
  ): Promise<ConnectionValue<HouseholdNode>> {
    const after = decodeCursor(page.after);
    const rows = await householdsByRegion(ctx, filter, { first: page.first, after }, readAhead).load(regionPrefix);
    return toConnection(rows, page, () => householdCountByRegion(ctx, filter).load(regionPrefix));
  }

  /** The region prefix a filter asks for, normalised ('' when none). */
  static filterPrefix(filter: HouseholdFilter | undefined | null): string {
    return filter?.regionCode ? divisionPrefix(filter.regionCode, 'filter.regionCode') : '';
  }
}
