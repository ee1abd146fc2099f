import { Arg, Authorized, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { PersonNode } from '../registry';
import { dropoutWatchesByPersonId, schoolEnrolmentsByPersonId } from './education.loaders';
import { DropoutWatchNode, SchoolEnrolmentNode } from './education.types';

// Edges from the registry into 教育 education facets. Each edge checks the department's read
// permission itself (STYLE §2) and is nullable: a refusal nulls that field alone. Year
// arguments filter the per-person list, so every argument value shares one statement.

@Resolver(() => PersonNode)
export class EducationPersonResolver {
  @FieldResolver(() => [SchoolEnrolmentNode], { nullable: true, description: '学籍 school enrolments of the person, newest school year first. 教育 education data.' })
  @Authorized<Permission>('facet:education:read')
  schoolEnrolments(
    @Ctx() ctx: RequestContext,
    @Root() person: PersonNode,
    @Arg('schoolYear', () => Int, { nullable: true, description: 'Only this school year (学年), e.g. 2024 for 2024–25.' }) schoolYear?: number | null,
  ): SchoolEnrolmentNode[] | Promise<SchoolEnrolmentNode[]> {
    return ctx.loaders.map(schoolEnrolmentsByPersonId, person.id, (all) => schoolYear == null ? all : all.filter((e) => e.schoolYear === schoolYear));
  }

  @FieldResolver(() => [DropoutWatchNode], { nullable: true, description: '控辍保学 dropout-watch cases of the person, newest first. 教育 education data.' })
  @Authorized<Permission>('facet:education:read')
  dropoutWatches(@Ctx() ctx: RequestContext, @Root() person: PersonNode): DropoutWatchNode[] | Promise<DropoutWatchNode[]> {
    return ctx.loaders.load(dropoutWatchesByPersonId, person.id);
  }
}
