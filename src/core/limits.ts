import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { DocumentNode, GraphQLError, Kind, ValidationContext, ValidationRule, visit } from 'graphql';

// Abusive documents are refused before execution, the same way over HTTP and WebSocket, with
// graphql-armor's validation rules and graphql-js's own token limit in the parser.

export interface QueryLimits {
  /** How often one response key may stand in one selection set (fragments not flattened). */
  maxRepeatedField: number;
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
}

// maxCost: graphql-armor's cost grows 1.5× per level and ignores page sizes; the largest
// legitimate dashboard (region → townships → villages → households → members, as in
// tests/e2e/sql-count.test.ts) costs about 17,600, so the budget leaves it headroom while ten
// such dashboards in one document are refused.
// The defaults of the config object (core/config.ts QUERY_MAX_*), also used by tests.
export const DEFAULT_LIMITS: QueryLimits = { maxRepeatedField: 3, maxDepth: 10, maxAliases: 15, maxDirectives: 5, maxTokens: 2000, maxCost: 50000 };

/** Validation rules enforcing the limits (added to graphql-js's specified rules). */
export function limitRules(limits: QueryLimits): ValidationRule[] {
  // graphql-armor either throws from inside the visitor (which Apollo answers as a 500) or
  // calls onReject; reporting through the validation context makes a rejected document an
  // ordinary GRAPHQL_VALIDATION_FAILED, on HTTP and WebSocket alike.
  const report = (ctx: ValidationContext | null, err: GraphQLError) => ctx?.reportError(err);
  return [
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, propagateOnRejection: false, onReject: [report], exposeLimits: true }),
    maxAliasesRule({ n: limits.maxAliases, allowList: [], propagateOnRejection: false, onReject: [report], exposeLimits: true }),
    maxDirectivesRule({ n: limits.maxDirectives, propagateOnRejection: false, onReject: [report], exposeLimits: true }),
    costLimitRule({ maxCost: limits.maxCost, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5, ignoreIntrospection: true, flattenFragments: true, propagateOnRejection: false, onReject: [report], exposeLimits: true }),
  ].map((rule) => rule as unknown as ValidationRule).concat(repeatedFieldRule(limits.maxRepeatedField));
}

/**
 * Refuses a selection set that names one field (response key) more than `max` times. GraphQL
 * merges the copies, so they cost nothing to execute, but they cost validation time (field
 * merging is quadratic) and no client needs them; graphql-armor has no rule for this.
 */
function repeatedFieldRule(max: number): ValidationRule {
  return (ctx) => ({
    SelectionSet(node) {
      const seen = new Map<string, number>();
      for (const selection of node.selections) {
        if (selection.kind !== Kind.FIELD) continue;
        const key = selection.alias?.value ?? selection.name.value;
        const n = (seen.get(key) ?? 0) + 1;
        seen.set(key, n);
        if (n === max + 1) ctx.reportError(new GraphQLError(`Field "${key}" is repeated more than ${max} times in one selection.`, { nodes: [selection] }));
      }
    },
  });
}

/** True when the document asks for the schema (`__schema` / `__type`); `__typename` is fine. */
export function isIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
}
