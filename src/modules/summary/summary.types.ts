import { Field, Int, ObjectType } from 'type-graphql';
import { HouseholdStatus, PovertyCause } from '../../core/vocab';

@ObjectType({ description: 'Households with one registration status (按识别状态统计户数).' })
export class StatusCount {
  @Field(() => HouseholdStatus, { description: '识别状态 status.' })
  status!: HouseholdStatus;

  @Field(() => Int, { description: '户数 number of households.' })
  households!: number;
}

@ObjectType({ description: 'Registered households with one main poverty cause (按主要致贫原因统计户数).' })
export class CauseCount {
  @Field(() => PovertyCause, { description: '主要致贫原因 main cause.' })
  cause!: PovertyCause;

  @Field(() => Int, { description: '户数 number of registered households.' })
  households!: number;
}

/**
 * Counts over the joined graph for one region, computed in SQL (区域汇总). Each group of
 * fields is one statement for all regions in the request.
 */
@ObjectType('RegionSummary', { description: 'Figures for a region computed in SQL across departments (区域汇总).' })
export class RegionSummary {
  /** Significant prefix of the region's code. */
  prefix!: string;
}
