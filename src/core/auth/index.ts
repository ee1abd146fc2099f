export { Role } from './roles';
export type { Principal } from './roles';
export { permissionsOf, hasPermission, ALL_DEPARTMENTS } from './permissions';
export type { Permission } from './permissions';
export { TokenVerifier, issueToken, signingSecret } from './tokens';
export type { TokenConfig } from './tokens';
export { authorize, grants } from './auth-checker';
export { rolesGuarding } from './field-guard';
