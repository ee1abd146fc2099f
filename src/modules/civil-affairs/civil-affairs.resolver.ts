import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { HouseholdNode, PersonNode } from '../registry';
import {
  dibaoEnrolmentsByHouseholdId, disabilitySubsidiesByPersonId, extremePovertySupportsByPersonId, leftBehindRecordsByPersonId,
  temporaryAssistanceByHouseholdId,
} from './civil-affairs.loaders';
import {
  DibaoEnrolmentNode, DisabilitySubsidyNode, ExtremePovertySupportNode, LeftBehindRecordNode, TemporaryAssistanceNode,
} from './civil-affairs.types';

// Edges from the registry into 民政 civil-affairs facets. Each edge checks the department's
// read permission itself: reaching the household (registry:read) is not enough (STYLE §2).

@Resolver(() => HouseholdNode)
export class CivilAffairsHouseholdResolver {
  @FieldResolver(() => [DibaoEnrolmentNode], { description: '低保 minimum-living allowance enrolments of the household, newest first. 民政 civil affairs data.' })
  @Authorized<Permission>('facet:civil_affairs:read')
  dibaoEnrolments(@Ctx() ctx: RequestContext, @Root() household: HouseholdNode): DibaoEnrolmentNode[] | Promise<DibaoEnrolmentNode[]> {
    return ctx.loaders.load(dibaoEnrolmentsByHouseholdId, household.id);
  }

  @FieldResolver(() => [TemporaryAssistanceNode], { description: '临时救助 temporary assistance paid to the household, newest first. 民政 civil affairs data.' })
  @Authorized<Permission>('facet:civil_affairs:read')
  temporaryAssistance(@Ctx() ctx: RequestContext, @Root() household: HouseholdNode): TemporaryAssistanceNode[] | Promise<TemporaryAssistanceNode[]> {
    return ctx.loaders.load(temporaryAssistanceByHouseholdId, household.id);
  }
}

@Resolver(() => PersonNode)
export class CivilAffairsPersonResolver {
  @FieldResolver(() => [ExtremePovertySupportNode], { description: '特困供养 extreme-poverty support of the person, newest first. 民政 civil affairs data.' })
  @Authorized<Permission>('facet:civil_affairs:read')
  extremePovertySupports(@Ctx() ctx: RequestContext, @Root() person: PersonNode): ExtremePovertySupportNode[] | Promise<ExtremePovertySupportNode[]> {
    return ctx.loaders.load(extremePovertySupportsByPersonId, person.id);
  }

  @FieldResolver(() => [LeftBehindRecordNode], { description: '三留守 left-behind records of the person (child, woman, elderly), newest first. 民政 civil affairs data.' })
  @Authorized<Permission>('facet:civil_affairs:read')
  leftBehindRecords(@Ctx() ctx: RequestContext, @Root() person: PersonNode): LeftBehindRecordNode[] | Promise<LeftBehindRecordNode[]> {
    return ctx.loaders.load(leftBehindRecordsByPersonId, person.id);
  }

  @FieldResolver(() => [DisabilitySubsidyNode], { description: '残疾人两项补贴 disability subsidies of the person, newest first. 民政 civil affairs data.' })
  @Authorized<Permission>('facet:civil_affairs:read')
  disabilitySubsidies(@Ctx() ctx: RequestContext, @Root() person: PersonNode): DisabilitySubsidyNode[] | Promise<DisabilitySubsidyNode[]> {
    return ctx.loaders.load(disabilitySubsidiesByPersonId, person.id);
  }
}
