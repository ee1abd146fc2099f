import type { Principal } from './auth/roles';
import { Role } from './auth/roles';
import { Department } from './vocab';

// Field privacy, in one place: for every personal field, what each role (and, for officers,
// each department) sees — in full, masked, or not at all. Resolvers ask `fieldAccess`; nothing
// else decides. tests/contract snapshots the whole matrix: a change here is a policy change.

export type Access = 'full' | 'masked' | 'hidden';

/** Personal fields under this policy. */
export type PersonalField = 'Person.name' | 'Person.idNumber' | 'Person.birthDate' | 'HealthCondition.diagnosis' | 'HealthCondition.icd10Code';

export const PERSONAL_FIELDS: PersonalField[] = ['Person.name', 'Person.idNumber', 'Person.birthDate', 'HealthCondition.diagnosis', 'HealthCondition.icd10Code'];

/** Departments that serve minors (未成年人): the only ones that see a minor's personal fields. */
export const SERVES_MINORS: ReadonlySet<Department> = new Set([Department.CIVIL_AFFAIRS, Department.EDUCATION, Department.HEALTH]);

/** Whether a person born on `birthDate` is under 18 on `today` (ISO dates compare as strings). */
export function isMinor(birthDate: string, today: string): boolean {
  if (today !== minorToday) {
    const [y, m, d] = today.split('-');
    minorBound = `${Number(y) - 18}-${m}-${d}`;
    minorToday = today;
  }
  return birthDate > minorBound;
}
// The bound for the last `today` asked about (one per request; the same all day).
let minorToday = '';
let minorBound = '';

/**
 * What `principal` sees of `field` by default. `masked` fields may be unmasked for a stated
 * purpose (audited); `hidden` ones never.
 */
export function fieldAccess(principal: Principal | null, field: PersonalField, subject: { minor: boolean }): Access {
  if (!principal) return 'hidden';
  const staff = principal.role === Role.OFFICER || principal.role === Role.COORDINATOR;
  // Analysts, auditors, admins and third parties see no direct identifiers at all.
  if (!staff) return 'hidden';
  const dept = principal.role === Role.OFFICER ? principal.department : null;
  if (field === 'HealthCondition.diagnosis' || field === 'HealthCondition.icd10Code') {
    return dept === Department.HEALTH ? 'full' : 'hidden';
  }
  if (subject.minor && !(dept && SERVES_MINORS.has(dept))) return 'hidden';
  if (field === 'Person.idNumber') return 'masked';
  return 'full';
}

/**
 * A masked resident ID number: the 6-digit division prefix only. The other 12 characters are
 * the birth date, a sequence and a checksum; keeping the last four (the usual masking) would
 * make the whole number recoverable from the birth date shown beside it.
 */
export function maskIdNumber(idNumber: string): string {
  return `${idNumber.slice(0, 6)}************`;
}

/** The whole policy as a table, for the snapshot test and the README. */
export function privacyMatrix(): Record<string, Record<string, Access>> {
  const actors: Array<[string, Principal]> = [
    ...Object.values(Department).map((d): [string, Principal] => [`officer:${d}`, { subject: 's', role: Role.OFFICER, department: d, scope: '43' }]),
    ...[Role.COORDINATOR, Role.ANALYST, Role.AUDITOR, Role.ADMIN].map((r): [string, Principal] => [r, { subject: 's', role: r, department: null, scope: '43' }]),
  ];
  const matrix: Record<string, Record<string, Access>> = {};
  for (const [label, principal] of [...actors, ['anonymous', null] as [string, null]]) {
    for (const minor of [false, true]) {
      const row: Record<string, Access> = {};
      for (const field of PERSONAL_FIELDS) row[field] = fieldAccess(principal, field, { minor });
      matrix[`${label}${minor ? ' (minor)' : ''}`] = row;
    }
  }
  return matrix;
}
