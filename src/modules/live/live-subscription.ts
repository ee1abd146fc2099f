import { Arg, Authorized, ClassType, Field, ID, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { DateTime } from '../../core/scalars';
import type { LiveDeclaration, LiveItem } from './live-declaration';

// A live subscription as the schema shows it, derived from one declaration: the payload type
// (the event's seq, kind and changed field names, and the record), the `afterSeq` argument, the
// permission, and the subscribe function that hands the caller's stream from this instance's
// feed. The record's own type (Measure, CoordinationGap, …) is the one the query fields return.

const AFTER_SEQ =
  '续传 the seq of the last event you received: the events after it that you may see come first (within the retention period), then live ones, none twice. Omit to start from now.';

export interface LiveSubscriptionSpec<T extends object> extends LiveDeclaration<T> {
  /** Payload type name (MeasureChange, …) and the field that holds the record (measure, …). */
  payloadName: string;
  nodeField: string;
  nodeType: ClassType<T>;
  description: string;
  /** Who may subscribe: the permissions of the record's query fields. */
  permissions: readonly Permission[];
}

/** The resolver class (and its payload type) of one live subscription. */
export function liveSubscription<T extends object>(spec: LiveSubscriptionSpec<T>): Function {
  @ObjectType(spec.payloadName, { description: `${spec.description} One event (变更事件) with the record as you may see it now.` })
  class Payload {
    @Field(() => String, { description: '事件序号 the event\'s global sequence: pass the last one you received as afterSeq when you subscribe again.' })
    seq!: string;

    @Field(() => String, { description: '变更类型 create, update, end or delete.' })
    kind!: string;

    @Field(() => ID, { description: '记录编号 id of the changed record.' })
    entityId!: string;

    @Field(() => [String], { description: '变更字段 names of the fields written (never their values).' })
    fields!: string[];

    @Field(() => DateTime, { description: '发生时间 when the change was committed.' })
    occurredAt!: Date;
  }
  // The record, under its own name (measure, gap, batch): the type the query fields return.
  Field(() => spec.nodeType, { name: spec.nodeField, description: '变更记录 the record as it stands now, as your queries would show it.' })(Payload.prototype, 'node');

  @Resolver()
  class LiveResolver {
    @Subscription(() => Payload, {
      name: spec.name,
      description: spec.description,
      subscribe: ({ args, context }) => subscribeLive(context as RequestContext, spec, (args as { afterSeq?: string | null }).afterSeq ?? null),
    })
    @Authorized<Permission>(...spec.permissions)
    // A scalar argument, not an @Args class: type-graphql would build and validate that class
    // again for every event delivered to every subscriber.
    event(@Root() item: LiveItem<T>, @Arg('afterSeq', () => String, { nullable: true, description: AFTER_SEQ }) _afterSeq?: string | null): LiveItem<T> {
      return item;
    }
  }
  Object.defineProperty(LiveResolver, 'name', { value: `${spec.payloadName}Resolver` });
  return LiveResolver;
}

function subscribeLive<T>(ctx: RequestContext, declaration: LiveDeclaration<T>, afterSeq: string | null) {
  // Subscriptions run over graphql-ws only, where the server sets `live`; over HTTP there is no stream.
  if (!ctx.live || !ctx.principal) throw new AppError('BAD_REQUEST', 'subscriptions run over WebSocket (graphql-ws) at /graphql');
  return ctx.live.feed.subscribe(declaration, ctx.principal, afterSeq, ctx.live.stillAuthorized);
}
