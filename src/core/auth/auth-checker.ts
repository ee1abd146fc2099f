import type { AuthChecker } from 'type-graphql';
import { recordAuditAlone, type AuditEntry } from '../../modules/audit';
import type { RequestContext } from '../context';
import { AppError } from '../errors';
import { hasPermission, Permission } from './permissions';

/**
 * The check behind every @Authorized: no principal → UNAUTHENTICATED; a principal without
 * one of the named permissions → FORBIDDEN. `@Authorized()` with no permission means "any
 * authenticated caller". A refused mutation by a known caller is itself audited (the write
 * path's own refusals are audited in core/writes.ts; this one happens before it runs).
 */
export const authChecker: AuthChecker<RequestContext, Permission> = async ({ context, info, args }, permissions) => {
  const principal = context.principal;
  if (!principal) throw new AppError('UNAUTHENTICATED', 'Not authenticated: send "Authorization: Bearer <token>"');
  if (permissions.length === 0 || permissions.some((p) => hasPermission(principal, p))) return true;
  if (info.parentType.name === 'Mutation') {
    const input = (args as { input?: Record<string, unknown> }).input;
    const id = (args as { id?: unknown }).id;
    await recordAuditAlone(context, [{
      action: actionOf(info.fieldName),
      entity: `Mutation.${info.fieldName}`,
      entityId: typeof id === 'string' ? id : null,
      fields: input && typeof input === 'object' ? Object.keys(input) : [],
      outcome: 'forbidden',
      regionCode: principal.scope,
    }]);
  }
  throw new AppError('FORBIDDEN', `Forbidden: your role does not grant ${permissions.join(' or ')}`);
};

/** The audit action a mutation name stands for (createX/recordX/openX, updateX, endX/closeX). */
function actionOf(mutation: string): AuditEntry['action'] {
  if (/^(end|close)/.test(mutation)) return 'end';
  if (/^update/.test(mutation)) return 'update';
  if (/^delete/.test(mutation)) return 'delete';
  return 'create';
}
