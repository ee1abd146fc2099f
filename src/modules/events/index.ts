// Public surface of the change-event module (变更事件, issue 8 §2): the outbox every change
// writes in its own transaction (core/writes.ts), the internal reader and listener for the
// rules and subscriptions that come next, and retention. No GraphQL field reads events yet.
export { ChangeEvent, eventEntities } from './change-event.entity';
export { EVENTS_CHANNEL, recordChangeEvent, recordChangeEvents, type ChangeEventEntry, type SqlRunner } from './change-event.writer';
export { eventsSince, MAX_EVENTS_PER_READ, type ChangeEventRow } from './change-event.reader';
export { listenForEvents, listenerConnection, type EventListener, type EventListenerOptions } from './change-event.listener';
export { ChangeEventRetention, pruneChangeEvents, startEventRetention, PRUNE_INTERVAL_MS } from './change-event.retention';
