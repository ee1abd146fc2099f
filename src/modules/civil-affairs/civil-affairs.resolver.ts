import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { HouseholdNode } from '../registry';
import { dibaoEnrolmentsByHouseholdId } from './civil-affairs.loaders';
import { DibaoEnrolmentNode } from './civil-affairs.types';

// Edges from the registry into 民政 civil-affairs facets. Each edge checks the department's
// read permission itself: reaching the household (registry:read) is not enough (STYLE §2).
// Edges are nullable: a refusal nulls that field alone, with FORBIDDEN at its path (DESIGN §4).

@Resolver(() => HouseholdNode)
export class CivilAffairsHouseholdResolver {
  @FieldResolver(() => [DibaoEnrolmentNode], { nullable: true, description: '低保 minimum-living allowance enrolments of the household, newest first. 民政 civil affairs data.' })
  @Authorized<Permission>('facet:civil_affairs:read')
  dibaoEnrolments(@Ctx() ctx: RequestContext, @Root() household: HouseholdNode): DibaoEnrolmentNode[] | Promise<DibaoEnrolmentNode[]> {
    return ctx.loaders.load(dibaoEnrolmentsByHouseholdId, household.id);
  }
}
