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

/**
 * Whether a person born on `birthDate` is under 18 on `today` (ISO dates compare as strings).
 * A missing fact refuses: no birth date (a column pruned from a read-ahead row, a null) counts
 * as a minor's, the most hidden answer, never as an adult's.
 */
export function isMinor(birthDate: string | null | undefined, today: string): boolean {
  if (typeof birthDate !== 'string' || birthDate.length !== 10) return true;
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

// ---- Derived fields and filters ----------------------------------------------------------
// A field or filter computed from a personal field is as hidden as that field, or coarsened so
// that it shows no more than the caller may see (DESIGN §4: "a field derived from a hidden
// value is as hidden as the value"). `age(asOf:)` over a dozen dates, or a `minAge` filter
// bisected, gave a hidden birth date back exactly.

/** What a derived field or filter shows: as its source, or only an age band (by year of birth, this year). */
export type DerivedAccess = Access | 'banded';

/** Fields and filters derived from a personal field. */
export type DerivedField = 'Person.age' | 'Person.ageBand' | 'PersonFilter.minAge' | 'PersonFilter.maxAge' | 'PersonFilter.asOf';

/** Each derived field or filter, with its source and what it shows where the source is hidden. */
export const DERIVED_FIELDS: Record<DerivedField, { from: PersonalField; whenHidden: 'hidden' | 'banded' }> = {
  // Exact age on any date: the birth date within a day.
  'Person.age': { from: 'Person.birthDate', whenHidden: 'hidden' },
  // A band (0–5, 6–14, 15–17, 18–59, 60+) of the age reached in the current year: year of
  // birth only, no reference date (modules/registry/age-band.ts).
  'Person.ageBand': { from: 'Person.birthDate', whenHidden: 'banded' },
  // Filters match across subjects: hidden for one subject (a minor) is hidden for the filter.
  'PersonFilter.minAge': { from: 'Person.birthDate', whenHidden: 'banded' },
  'PersonFilter.maxAge': { from: 'Person.birthDate', whenHidden: 'banded' },
  'PersonFilter.asOf': { from: 'Person.birthDate', whenHidden: 'hidden' },
};

export const DERIVED_FIELD_NAMES = Object.keys(DERIVED_FIELDS) as DerivedField[];

/**
 * What `principal` sees of a derived field about `subject`, or (filters, `PersonFilter.*`) of a
 * filter over every subject. A role that sees no birth date at all sees no band either.
 */
export function derivedAccess(principal: Principal | null, field: DerivedField, subject: { minor: boolean }): DerivedAccess {
  const { from, whenHidden } = DERIVED_FIELDS[field];
  if (fieldAccess(principal, from, { minor: false }) === 'hidden') return 'hidden';
  const filter = field.startsWith('PersonFilter.');
  const source = fieldAccess(principal, from, filter ? { minor: true } : subject);
  if (field === 'Person.ageBand') return 'banded';
  return source === 'hidden' ? whenHidden : source;
}

/** The whole policy as a table, for the snapshot test and the README. */
export function privacyMatrix(): Record<string, Record<string, DerivedAccess>> {
  const actors: Array<[string, Principal]> = [
    ...Object.values(Department).map((d): [string, Principal] => [`officer:${d}`, { subject: 's', role: Role.OFFICER, department: d, scope: '43' }]),
    ...[Role.COORDINATOR, Role.ANALYST, Role.AUDITOR, Role.ADMIN].map((r): [string, Principal] => [r, { subject: 's', role: r, department: null, scope: '43' }]),
  ];
  const matrix: Record<string, Record<string, DerivedAccess>> = {};
  for (const [label, principal] of [...actors, ['anonymous', null] as [string, null]]) {
    for (const minor of [false, true]) {
      const row: Record<string, DerivedAccess> = {};
      for (const field of PERSONAL_FIELDS) row[field] = fieldAccess(principal, field, { minor });
      for (const field of DERIVED_FIELD_NAMES) row[field] = derivedAccess(principal, field, { minor });
      matrix[`${label}${minor ? ' (minor)' : ''}`] = row;
    }
  }
  return matrix;
}
