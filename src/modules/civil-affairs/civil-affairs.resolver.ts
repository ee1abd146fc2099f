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
  dibaoEnrolments(@Ctx() ctx: RequestContext, @Root() household: HouseholdNode): Promise<DibaoEnrolmentNode[]> {
    return ctx.loaders.get(dibaoEnrolmentsByHouseholdId).load(household.id);
  }

  @FieldResolver(() => [TemporaryAssistanceNode], { description: '临时救助 temporary assistance paid to the household, newest first. 民政 civil affairs data.' })
  @Authorized<Permission>('facet:civil_affairs:read')
  temporaryAssistance(@Ctx() ctx: RequestContext, @Root() household: HouseholdNode): Promise<TemporaryAssistanceNode[]> {
    return ctx.loaders.get(temporaryAssistanceByHouseholdId).load(household.id);
  }
}

@Resolver(() => PersonNode)
export class CivilAffairsPersonResolver {
  @FieldResolver(() => [ExtremePovertySupportNode], { description: '特困供养 extreme-poverty support of the person, newest first. 民政 civil affairs data.' })
  @Authorized<Permission>('facet:civil_affairs:read')
  extremePovertySupports(@Ctx() ctx: RequestContext, @Root() person: PersonNode): Promise<ExtremePovertySupportNode[]> {
    return ctx.loaders.get(extremePovertySupportsByPersonId).load(person.id);
  }

  @FieldResolver(() => [LeftBehindRecordNode], { description: '三留守 left-behind records of the person (child, woman, elderly), newest first. 民政 civil affairs data.' })
  @Authorized<Permission>('facet:civil_affairs:read')
  leftBehindRecords(@Ctx() ctx: RequestContext, @Root() person: PersonNode): Promise<LeftBehindRecordNode[]> {
    return ctx.loaders.get(leftBehindRecordsByPersonId).load(person.id);
  }

  @FieldResolver(() => [DisabilitySubsidyNode], { description: '残疾人两项补贴 disability subsidies of the person, newest first. 民政 civil affairs data.' })
  @Authorized<Permission>('facet:civil_affairs:read')
  disabilitySubsidies(@Ctx() ctx: RequestContext, @Root() person: PersonNode): Promise<DisabilitySubsidyNode[]> {
    return ctx.loaders.get(disabilitySubsidiesByPersonId).load(person.id);
  }
}
