import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { DocumentNode, ValidationRule, visit } from 'graphql';

// Abusive documents are refused before execution, the same way over HTTP and WebSocket, with
// graphql-armor's validation rules and graphql-js's own token limit in the parser.

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
}

export const DEFAULT_LIMITS: QueryLimits = { maxDepth: 10, maxAliases: 15, maxDirectives: 5, maxTokens: 2000, maxCost: 5000 };

/** Validation rules enforcing the limits (added to graphql-js's specified rules). */
export function limitRules(limits: QueryLimits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, propagateOnRejection: false, onReject: [], exposeLimits: true }),
    maxAliasesRule({ n: limits.maxAliases, allowList: [], propagateOnRejection: false, onReject: [], exposeLimits: true }),
    maxDirectivesRule({ n: limits.maxDirectives, propagateOnRejection: false, onReject: [], exposeLimits: true }),
    costLimitRule({ maxCost: limits.maxCost, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5, ignoreIntrospection: true, flattenFragments: true, propagateOnRejection: false, onReject: [], exposeLimits: true }),
  ].map((rule) => rule as unknown as ValidationRule);
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
