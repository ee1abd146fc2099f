import { Field, ID, Int, ObjectType } from 'type-graphql';
import { HouseholdFacetNode } from '../../core/facet-types';
import { LocalDate } from '../../core/scalars';
import { VisitKind } from './poverty-office.entities';
import { CadreNode } from './poverty-office.types';
import { registerEnumType } from 'type-graphql';

// Read shapes of pairing work (结对帮扶): visits and cadre loads.

registerEnumType(VisitKind, {
  name: 'VisitKind',
  description: '走访方式 how a cadre was in touch with a paired household.',
  valuesConfig: {
    HOME_VISIT: { description: '入户走访 home visit' },
    PHONE_CALL: { description: '电话联系 phone call' },
    MEETING: { description: '集中座谈 meeting' },
    ERRAND: { description: '帮办代办 an errand done for the household' },
  },
});

@ObjectType('CadreVisit', { description: '帮扶走访 a visit of a pairing cadre to the household (帮扶手册). Owned by 扶贫办 the poverty office.' })
export class CadreVisitNode extends HouseholdFacetNode {
  @Field(() => ID, { description: 'Id of the pairing (结对记录).' })
  pairingId!: string;

  @Field(() => LocalDate, { description: '走访日期 date of the visit.' })
  visitedOn!: string;

  @Field(() => VisitKind, { description: '走访方式 kind of visit.' })
  kind!: VisitKind;

  @Field(() => String, { nullable: true, description: '走访记录 notes: what was discussed and done (never personal health details, ID or phone numbers).' })
  notes!: string | null;
}

@ObjectType('CadreLoad', { description: '帮扶负担 a cadre and how many households they are currently paired with.' })
export class CadreLoadNode {
  @Field(() => ID, { description: 'Id of the cadre (帮扶责任人).' })
  id!: string;

  @Field(() => CadreNode, { description: '帮扶责任人 the cadre.' })
  cadre!: CadreNode;

  @Field(() => Int, { description: '当前结对户数 households currently paired with the cadre.' })
  currentHouseholds!: number;
}
