// Public surface of the live module (实时订阅, issue 12 §5): the per-instance feed that follows
// the change-event outbox and fans events out to graphql-ws subscribers, and the subscriptions.
export { LiveFeed, EVENTS_PER_READ } from './live-feed';
export { visibilityKey, type LiveDeclaration, type LiveItem } from './live-declaration';
export { MAX_QUEUED } from './live-stream';
export { subscribeSharingResults } from './live-execution';
export { liveSubscriptionResolvers } from './live.subscriptions';
