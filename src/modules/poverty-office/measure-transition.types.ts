import { createUnionType, Field, ObjectType } from 'type-graphql';
import { AppError } from '../../core/errors';
import { MEASURE_TRANSITIONS, MeasureStage } from './measure-stage';
import { MeasureNode } from './poverty-office.types';

// Union results of the measure state machine (measure-stage.ts): a refused move is an answer
// the client branches on, not an error string (STYLE §6).

@ObjectType('IllegalTransition', { description: '不允许的状态变更 the measure cannot move from its stage to the one asked for; nothing changed.' })
export class IllegalTransition {
  @Field(() => MeasureStage, { description: '当前进度 the stage the measure is in.' })
  from!: MeasureStage;

  @Field(() => MeasureStage, { description: '请求的进度 the stage asked for.' })
  to!: MeasureStage;

  @Field(() => [MeasureStage], { description: '可选的下一步 the stages the measure may move to from here (empty: it is final).' })
  allowed!: MeasureStage[];

  @Field({ description: 'Why, in words (说明).' })
  message!: string;
}

@ObjectType('SameActorVerification', { description: '验收须由他人 the caller completed this measure and so may not verify it; nothing changed.' })
export class SameActorVerification {
  @Field({ description: 'Why, in words (说明).' })
  message!: string;
}

export const MeasureTransitionResult = createUnionType({
  name: 'MeasureTransitionResult',
  description: '措施状态变更结果 the measure after the move, or why it was refused (nothing changed, the refusal is audited).',
  types: () => [MeasureNode, IllegalTransition, SameActorVerification] as const,
  resolveType: (value) => {
    if (value instanceof IllegalTransition) return IllegalTransition;
    if (value instanceof SameActorVerification) return SameActorVerification;
    return MeasureNode;
  },
});

/**
 * A business refusal carried out of the write transaction: `mutate` rolls back and audits it
 * (outcome 'conflict'), and the service hands `result` to the client as a union member.
 */
export class TransitionRefused<R> extends AppError {
  constructor(readonly result: R, message: string) {
    super('CONFLICT', message);
  }
}

export function illegalMeasureMove(from: MeasureStage, to: MeasureStage): TransitionRefused<IllegalTransition> {
  const allowed = [...MEASURE_TRANSITIONS[from]];
  const message = allowed.length
    ? `a ${from} measure can move to ${allowed.join(' or ')}, not to ${to}`
    : `a ${from} measure is final and cannot move to ${to}`;
  return new TransitionRefused(Object.assign(new IllegalTransition(), { from, to, allowed, message }), message);
}

export function sameActorVerification(): TransitionRefused<SameActorVerification> {
  const message = 'the principal who completed a measure may not also verify it (验收须由他人): ask a colleague';
  return new TransitionRefused(Object.assign(new SameActorVerification(), { message }), message);
}
