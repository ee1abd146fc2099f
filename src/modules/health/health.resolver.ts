import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { fieldAccess, isMinor } from '../../core/privacy';
import { auditRead } from '../../core/read-audit';
import { PersonNode } from '../registry';
import { CLINICAL_FIELDS, healthConditionsByPersonId } from './health.loaders';
import { HealthConditionNode } from './health.types';

// The edge from the registry into 慢病/大病 health conditions, written by hand because clinical
// detail is released per field by the privacy policy (its writes derive from health.facets.ts).
// The edge checks the department's read permission itself (STYLE §2) and is nullable: a
// refusal nulls that field alone.

@Resolver(() => PersonNode)
export class HealthPersonResolver {
  @FieldResolver(() => [HealthConditionNode], { nullable: true, description: '慢病/大病 chronic and serious conditions of the person, newest diagnosis first. 卫健/医保 health data.' })
  @Authorized<Permission>('facet:health:read')
  healthConditions(@Ctx() ctx: RequestContext, @Root() person: PersonNode): HealthConditionNode[] | Promise<HealthConditionNode[]> {
    return ctx.loaders.load(healthConditionsByPersonId, person.id);
  }
}

@Resolver(() => HealthConditionNode)
export class HealthConditionResolver {
  @FieldResolver(() => String, { nullable: true, description: '诊断 diagnosis. Clinical detail: null unless the privacy policy shows it to you (health only).' })
  @Authorized<Permission>('facet:health:read')
  async diagnosis(@Ctx() ctx: RequestContext, @Root() condition: HealthConditionNode): Promise<string | null> {
    return (await clinicalRead(ctx, condition, 'HealthCondition.diagnosis')) ? condition.diagnosis : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'ICD-10 疾病编码 disease code. Clinical detail: null unless the privacy policy shows it to you (health only).' })
  @Authorized<Permission>('facet:health:read')
  async icd10Code(@Ctx() ctx: RequestContext, @Root() condition: HealthConditionNode): Promise<string | null> {
    return (await clinicalRead(ctx, condition, 'HealthCondition.icd10Code')) ? condition.icd10Code : null;
  }
}

/**
 * Whether the policy shows a clinical field in full (clinical detail is never masked, only
 * shown or hidden). A shown diagnosis is an unmasked personal field: its read is audited, and
 * the value is released only once the audit record is committed.
 */
async function clinicalRead(ctx: RequestContext, condition: HealthConditionNode, field: (typeof CLINICAL_FIELDS)[number]): Promise<boolean> {
  if (fieldAccess(ctx.principal, field, { minor: isMinor(condition.subjectBirthDate, ctx.today) }) !== 'full') return false;
  await auditRead(ctx, {
    entity: 'HealthCondition',
    entityId: condition.id,
    fields: [field.split('.')[1]],
    purpose: null,
    regionCode: condition.subjectVillageCode ?? ctx.principal?.scope ?? '',
  });
  return true;
}
