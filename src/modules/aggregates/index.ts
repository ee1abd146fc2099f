// Public surface of the aggregates module (公开统计目录, issue 9 §2 and §4): the catalog, its
// lifecycle, frozen releases with disclosure control, and the read surface for third parties.
export {
  approvedEntries, cellSystem, computeCells, protectSystem, RELEASES_KEPT, setDisclosureMinCell, suppressSystem, writeRelease, type Queryable,
} from './aggregate-release.service';
export { refreshReleases, startAggregateRefresh } from './aggregate-refresh';
import { AggregateResolver } from './aggregate.resolver';
export const aggregateResolvers: Function[] = [AggregateResolver];
