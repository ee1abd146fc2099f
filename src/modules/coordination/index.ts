// Public surface of the coordination module (协调规则, issue 12 §2): rules as data evaluated in
// SQL, gaps with their history, the incremental worker that follows change events, and reads.
import { CoordinationResolver, HouseholdGapsResolver } from './coordination.resolver';

export { coordinationEntities } from './coordination.entities';
export { RULES, RuleCode } from './coordination.rules';
export { asOf, evaluateRules, ensureRuleRows, GAPS_LOCK } from './coordination.engine';
export { gapsById } from './coordination.service';
export { GapNode } from './coordination.types';
export { CoordinationWorker, startCoordinationWorker, runPass } from './coordination.worker';
export { exitBlockersOf, ExitBlockerReason } from './exit-readiness';
export { ExitBlockerNode } from './coordination.types';
export const coordinationResolvers = [CoordinationResolver, HouseholdGapsResolver] as const;
