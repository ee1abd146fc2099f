import type { AuthChecker } from 'type-graphql';
import type { RequestContext } from '../context';
import { AppError } from '../errors';
import { hasPermission, Permission } from './permissions';

/**
 * The check behind every @Authorized: no principal → UNAUTHENTICATED; a principal without
 * one of the named permissions → FORBIDDEN. `@Authorized()` with no permission means "any
 * authenticated caller".
 */
export const authChecker: AuthChecker<RequestContext, Permission> = ({ context }, permissions) => {
  const principal = context.principal;
  if (!principal) throw new AppError('UNAUTHENTICATED', 'Not authenticated: send "Authorization: Bearer <token>"');
  if (permissions.length === 0 || permissions.some((p) => hasPermission(principal, p))) return true;
  throw new AppError('FORBIDDEN', `Forbidden: your role does not grant ${permissions.join(' or ')}`);
};
