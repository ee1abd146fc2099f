import { Field, Float, Int, ObjectType } from 'type-graphql';
import { NodeInterface } from '../../core/global-id';
import { RegionLevel } from '../../core/vocab';

/** Read shape of a region row (statistical division). */
@ObjectType('Region', { implements: NodeInterface, description: 'A statistical division (行政区划) at any of the five levels, keyed by its 统计用区划代码.' })
export class RegionNode {
  @Field({ description: '12-digit statistical division code (统计用区划代码), zero-padded above village level.' })
  code!: string;

  @Field({ description: 'Significant prefix of the code: 2, 4, 6, 9 or 12 digits (区划代码前缀).' })
  prefix!: string;

  @Field({ description: 'Name (名称), e.g. 麻阳苗族自治县.' })
  name!: string;

  @Field(() => RegionLevel, { description: 'Level (级别).' })
  level!: RegionLevel;

  parentCode!: string | null;
}

@ObjectType({ description: 'The six utilities (六到农家): water, electricity, road, housing, network, environment.' })
export class Utilities {
  @Field({ description: '水 safe drinking water.' })
  water!: boolean;

  @Field({ description: '电 grid electricity.' })
  electricity!: boolean;

  @Field({ description: '路 hardened (cement) road.' })
  road!: boolean;

  @Field({ description: '房 safe housing.' })
  housing!: boolean;

  @Field({ description: '网络/广电 broadband and radio/TV.' })
  network!: boolean;

  @Field({ description: '环境 sanitation: toilet and waste (改厕/垃圾处理).' })
  environment!: boolean;
}

@ObjectType({ description: 'Poverty-village identification indicators (贫困村识别指标, 一高一低一无).' })
export class VillageIndicators {
  @Field(() => Int, { description: 'Year the indicators were measured (统计年度).' })
  year!: number;

  @Field(() => Float, { description: '贫困发生率 poverty incidence, percent (一高).' })
  povertyIncidence!: number;

  @Field(() => Float, { description: '农民人均纯收入 per-capita net income, yuan a year (一低).' })
  perCapitaIncome!: number;

  @Field(() => Float, { description: '村集体经济收入 collective-economy income, yuan a year (一无 when zero).' })
  collectiveIncome!: number;
}

@ObjectType('Village', { implements: NodeInterface, description: 'An administrative village (行政村) with its poverty-village facts. 扶贫办 poverty office data.' })
export class VillageNode {
  @Field({ description: '12-digit village code (村级区划代码).' })
  code!: string;

  @Field({ description: 'Village name (村名).' })
  name!: string;

  @Field({ description: '6-digit county code (县级区划代码).' })
  countyCode!: string;

  @Field({ description: '是否贫困村: whether this is a registered poverty village.' })
  isPovertyVillage!: boolean;

  @Field(() => VillageIndicators, { description: '一高一低一无 identification indicators.' })
  indicators!: VillageIndicators;

  @Field(() => Int, { description: 'Broadband speed in Mbit/s (宽带速率).' })
  broadbandMbps!: number;

  @Field(() => Utilities, { description: 'Village utilities (六到农家 at village level).' })
  utilities!: Utilities;
}
