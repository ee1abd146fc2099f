import type { GraphQLResolveInfo } from 'graphql';
import type { AuditEntry } from '../audit-sink';
import type { Principal } from './roles';
import type { RequestContext } from '../context';
import { AppError } from '../errors';
import { hasPermission, Permission } from './permissions';

/**
 * Whether a principal passes an @Authorized with these permissions: `@Authorized()` with no
 * permission means "any authenticated caller", otherwise one of the named permissions.
 */
export function grants(principal: Principal | null, permissions: readonly string[]): boolean {
  if (!principal) return false;
  return permissions.length === 0 || permissions.some((p) => hasPermission(principal, p as Permission));
}

/**
 * The check behind every @Authorized (run by core/auth/field-guard.ts on every resolution):
 * no principal → UNAUTHENTICATED; a principal without one of the named permissions →
 * FORBIDDEN. A refused mutation by a known caller is itself audited (the write path's own
 * refusals are audited in core/writes.ts; this one happens before it runs).
 *
 * Synchronous on the read path: it returns undefined when access is granted and throws when it
 * is not. Only an audited refusal has to wait for its record, so that one case answers with a
 * rejected promise. (type-graphql's async auth middleware cost about ten promises per checked
 * field; a village dashboard checks about a thousand.)
 */
export function authorize(
  context: RequestContext,
  info: GraphQLResolveInfo,
  args: Record<string, unknown>,
  permissions: readonly string[],
): Promise<never> | undefined {
  const principal = context.principal;
  if (!principal) throw new AppError('UNAUTHENTICATED', 'Not authenticated: send "Authorization: Bearer <token>"');
  if (grants(principal, permissions)) return undefined;
  const forbidden = new AppError('FORBIDDEN', `Forbidden: your role does not grant ${permissions.join(' or ')}`);
  if (info.parentType.name !== 'Mutation') throw forbidden;
  const input = (args as { input?: Record<string, unknown> }).input;
  const id = (args as { id?: unknown }).id;
  return context.audit.recordAlone(context, [{
    action: actionOf(info.fieldName),
    entity: `Mutation.${info.fieldName}`,
    entityId: typeof id === 'string' ? id : null,
    fields: input && typeof input === 'object' ? Object.keys(input) : [],
    outcome: 'forbidden',
    regionCode: principal.scope,
  }]).then(() => {
    throw forbidden;
  });
}

/** The audit action a mutation name stands for (createX/recordX/openX, updateX, endX/closeX). */
function actionOf(mutation: string): AuditEntry['action'] {
  if (/^(end|close)/.test(mutation)) return 'end';
  if (/^update/.test(mutation)) return 'update';
  if (/^delete/.test(mutation)) return 'delete';
  return 'create';
}
