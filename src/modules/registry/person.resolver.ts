import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Permission } from '../../core/auth';
import { derivedAccess, fieldAccess, isMinor, maskIdNumber } from '../../core/privacy';
import { AgeBand, bandOf, checkAgeFilter, yearAge } from './age-band';
import { auditRead } from '../../core/read-audit';
import type { RequestContext } from '../../core/context';
import { badInput, notFound } from '../../core/errors';
import { toGlobalId } from '../../core/global-id';
import { decodeCursor, PageArgs, toConnection } from '../../core/pagination';
import { LocalDate } from '../../core/scalars';
import { divisionPrefix } from '../../core/scope';
import { HouseholdService } from './household.service';
import { personById, personsCount, personsPage } from './person.loaders';
import { HouseholdNode, PersonConnection, PersonFilter, PersonNode } from './registry.types';

/** Whole years between an ISO birth date and an ISO reference date. */
export function ageOn(birthDate: string, on: string): number {
  // YYYY-MM-DD on both sides (the database's and LocalDate's form): years by slicing, and the
  // zero-padded MM-DD parts compare as strings.
  if (birthDate.length === 10 && on.length === 10 && birthDate[4] === '-' && on[4] === '-') {
    return Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (on.slice(5) < birthDate.slice(5) ? 1 : 0);
  }
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

@Resolver(() => PersonNode)
export class PersonResolver {
  @Query(() => PersonNode, { description: 'A person by id (按编号查询人员). NOT_FOUND when missing or outside your scope.' })
  @Authorized<Permission>('registry:read')
  async person(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'Person record id.' }) id: string): Promise<PersonNode> {
    const person = /^\d{1,18}$/.test(id) ? await ctx.loaders.get(personById).load(id) : null;
    if (!person) throw notFound('person');
    return person;
  }

  @Query(() => PersonConnection, { description: 'Persons matching a filter, in id order (人员列表).' })
  @Authorized<Permission>('registry:read')
  async persons(
    @Ctx() ctx: RequestContext,
    @Args() page: PageArgs,
    @Arg('filter', () => PersonFilter, { nullable: true }) filter?: PersonFilter,
  ) {
    const normalised: PersonFilter = { ...(filter ?? {}) };
    checkAgeFilter(ctx, normalised);
    if (normalised.regionCode) normalised.regionCode = divisionPrefix(normalised.regionCode, 'filter.regionCode');
    const rows = await personsPage(ctx, normalised, page.first, decodeCursor(page.after));
    return toConnection(rows, page, () => personsCount(ctx, normalised));
  }

  @FieldResolver(() => ID, { description: 'Opaque global id (全局标识); pass it to `node(id:)`, `person(id:)` or any `personId` argument.' })
  @Authorized<Permission>('registry:read')
  id(@Root() person: PersonNode): string {
    return toGlobalId('Person', person.id);
  }

  @FieldResolver(() => String, { description: 'Database id (数据库编号): what `id` carried before global ids; still accepted wherever a person id is, for one deprecation period.' })
  @Authorized<Permission>('registry:read')
  databaseId(@Root() person: PersonNode): string {
    return person.id;
  }

  @FieldResolver(() => String, { nullable: true, description: '姓名 name; null where the privacy policy hides it (e.g. a minor, outside the departments that serve minors).' })
  @Authorized<Permission>('registry:read')
  name(@Ctx() ctx: RequestContext, @Root() person: PersonNode): string | null {
    const access = fieldAccess(ctx.principal, 'Person.name', { minor: isMinor(person.birthDate, ctx.today) });
    return access === 'hidden' ? null : person.name;
  }

  @FieldResolver(() => LocalDate, { nullable: true, description: '出生日期 birth date; null where the privacy policy hides it.' })
  @Authorized<Permission>('registry:read')
  birthDate(@Ctx() ctx: RequestContext, @Root() person: PersonNode): string | null {
    const access = fieldAccess(ctx.principal, 'Person.birthDate', { minor: isMinor(person.birthDate, ctx.today) });
    return access === 'hidden' ? null : person.birthDate;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      '公民身份号码 18-digit resident ID number (GB 11643). Masked to the 6-digit division prefix by default; give a `purpose` to see it in full (the read is audited). Null where the privacy policy hides it.',
  })
  @Authorized<Permission>('registry:read')
  async idNumber(
    @Ctx() ctx: RequestContext,
    @Root() person: PersonNode,
    @Arg('purpose', () => String, { nullable: true, description: '查询事由 why you need the full number (4–200 characters); recorded in the audit log.' })
    purpose?: string | null,
  ): Promise<string | null> {
    const access = fieldAccess(ctx.principal, 'Person.idNumber', { minor: isMinor(person.birthDate, ctx.today) });
    if (access === 'hidden') return null;
    if (access === 'full') return person.idNumber;
    if (purpose == null) return maskIdNumber(person.idNumber);
    const stated = purpose.trim();
    if (stated.length < 4 || stated.length > 200) throw badInput('purpose', 'state the purpose in 4–200 characters');
    await auditRead(ctx, { entity: 'Person', entityId: person.id, fields: ['idNumber'], purpose: stated, regionCode: person.villageCode });
    return person.idNumber;
  }

  @FieldResolver(() => HouseholdNode, { description: 'The household the person belongs to (所属户).' })
  @Authorized<Permission>('registry:read')
  household(@Ctx() ctx: RequestContext, @Root() person: PersonNode): Promise<HouseholdNode> {
    return HouseholdService.get(ctx, person.householdId);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: '年龄 age in whole years today, or on `asOf`; null where the privacy policy hides the birth date (use `ageBand`).',
  })
  @Authorized<Permission>('registry:read')
  age(@Ctx() ctx: RequestContext, @Root() person: PersonNode, @Arg('asOf', () => LocalDate, { nullable: true, description: 'Reference date (基准日).' }) asOf?: string): number | null {
    // Derived from the birth date, so as hidden as it: an exact age on chosen dates is the date.
    // No birth date in the row (pruned): no age, rather than a guess.
    if (typeof person.birthDate !== 'string') return null;
    if (derivedAccess(ctx.principal, 'Person.age', { minor: isMinor(person.birthDate, ctx.today) }) !== 'full') return null;
    return ageOn(person.birthDate, asOf ?? ctx.today);
  }

  @FieldResolver(() => AgeBand, {
    nullable: true,
    description:
      '年龄段 age band (0–5, 6–14, 15–17, 18–59, 60+) of the age reached in the current year (year of birth only), shown where the exact age is hidden too; null where the privacy policy hides all ages.',
  })
  @Authorized<Permission>('registry:read')
  ageBand(@Ctx() ctx: RequestContext, @Root() person: PersonNode): AgeBand | null {
    if (typeof person.birthDate !== 'string') return null;
    if (derivedAccess(ctx.principal, 'Person.ageBand', { minor: isMinor(person.birthDate, ctx.today) }) === 'hidden') return null;
    return bandOf(yearAge(person.birthDate, ctx.today));
  }
}
