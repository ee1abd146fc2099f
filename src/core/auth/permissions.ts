import { Department } from '../vocab';
import { Principal, Role } from './roles';

// Who may do what, as data (Vendure's CrudPermissionDefinition, reduced): each operation and
// each cross-department edge names one permission with @Authorized; a role grants a set.
// Changing this file is a permission change: tests/contract snapshots the result per role.

export type Permission =
  | 'region:read' // region tree and village facts (reference data)
  | 'summary:read' // aggregates computed over a region
  | 'report:read' // report cubes and their CSV export over the caller's region (no identifiers)
  | 'report:write' // the caller's own saved report definitions
  | 'registry:read' // households and persons (建档立卡)
  | 'registry:write' // create and change households and persons: 扶贫办 poverty office
  | `facet:${Department}:read`
  | `facet:${Department}:write`
  | 'clinical:read' // diagnoses: health only
  | 'coordination:write' // measures and pairings: coordinators and the poverty office
  | 'gaps:read' // coordination gaps: an officer those their department owns, a coordinator all (in scope)
  | 'gaps:acknowledge' // acknowledge a gap: its owning department's officers, coordinators
  | 'gaps:recompute' // full recompute of the coordination rules: coordinators, administrators
  | 'exit:read' // exit readiness across departments: coordinators and the poverty office
  | 'procedure:read' // identification / exit / monitoring-inclusion procedures: coordinators and the poverty office
  | 'procedure:write' // take procedure steps (each step at its own level, modules/procedures): coordinators and the poverty office
  | 'aggregate:read' // approved-aggregate catalog (published, suppressed figures): third parties and staff
  | 'aggregate:propose' // propose catalog entries and read the catalog's proposals and history: analysts, coordinators
  | 'aggregate:approve' // approve, revise, retire catalog entries and refresh releases: the poverty office
  | 'audit:read'
  | 'admin';

export const ALL_DEPARTMENTS = Object.values(Department);

// Every @Authorized field asks, so a list of 100 households asks thousands of times per
// request: the set is built once per principal object (one per request).
const grantedByPrincipal = new WeakMap<Principal, ReadonlySet<Permission>>();

/** The permissions a principal holds. */
export function permissionsOf(principal: Principal): ReadonlySet<Permission> {
  let set = grantedByPrincipal.get(principal);
  if (!set) {
    set = grantedTo(principal);
    grantedByPrincipal.set(principal, set);
  }
  return set;
}

function grantedTo(principal: Principal): ReadonlySet<Permission> {
  // A third party reads the approved aggregates its key names, and nothing else: not even the region tree.
  if (principal.role === Role.THIRD_PARTY) return new Set<Permission>(['aggregate:read']);
  const granted = new Set<Permission>(['region:read']);
  switch (principal.role) {
    case Role.OFFICER: {
      const dept = principal.department;
      // Reports are aggregates with no identifiers, like the summaries officers already read.
      granted.add('summary:read').add('registry:read').add('report:read').add('aggregate:read');
      if (dept) granted.add(`facet:${dept}:read`).add(`facet:${dept}:write`).add('gaps:read').add('gaps:acknowledge');
      if (dept === Department.POVERTY_OFFICE) {
        granted.add('registry:write').add('coordination:write').add('exit:read').add('procedure:read').add('procedure:write').add('aggregate:approve');
      }
      if (dept === Department.HEALTH) granted.add('clinical:read');
      break;
    }
    case Role.COORDINATOR:
      granted.add('summary:read').add('registry:read').add('coordination:write').add('report:read').add('report:write')
        .add('gaps:read').add('gaps:acknowledge').add('gaps:recompute').add('exit:read').add('aggregate:read').add('aggregate:propose')
        .add('procedure:read').add('procedure:write');
      for (const dept of ALL_DEPARTMENTS) granted.add(`facet:${dept}:read`);
      break;
    case Role.ANALYST:
      granted.add('summary:read').add('report:read').add('report:write').add('aggregate:read').add('aggregate:propose');
      break;
    case Role.AUDITOR:
      granted.add('audit:read');
      break;
    case Role.ADMIN:
      granted.add('admin').add('gaps:recompute');
      break;
  }
  return granted;
}

export function hasPermission(principal: Principal | null, permission: Permission): boolean {
  return principal !== null && permissionsOf(principal).has(permission);
}
