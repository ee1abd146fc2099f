import type { FacetDeclaration, FacetField } from '../../src/core/facet-declaration';
import { validateRecord } from '../../src/core/facet-validate';

// Valid and invalid values for every declared facet, derived from its declaration, so that the
// tests driven by FACETS (access matrix, declared-facets) cover a new facet without a new case.

/** The GraphQL name of an enum's stored value (`resident` → `RESIDENT`). */
export function enumName(values: Record<string, string>, stored: string): string {
  const found = Object.entries(values).find(([, v]) => v === stored);
  if (!found) throw new Error(`${stored} is not in the vocabulary`);
  return found[0];
}

/** A valid value of `field` as a GraphQL client sends it; each `variant` (0–3) gives a different one. */
export function sampleValue(field: FacetField, variant = 0): unknown {
  const t = field.type;
  if (field.example !== undefined && variant === 0) return t.kind === 'enum' ? enumName(t.values, String(field.example)) : field.example;
  switch (t.kind) {
    case 'text':
      return field.example !== undefined ? field.example : variant ? `变更${variant}` : '测试';
    case 'int':
      return Math.min(t.max, t.min + variant);
    case 'year':
      // Clear of the years the fixtures fill (insurance 2023 and 2024).
      return t.min + 10 + variant;
    case 'money':
      return Math.min(t.max, 100 + 20.5 * variant);
    case 'date':
      // An end (notBefore) lies after any start sample.
      return field.notBefore ? `2024-12-${31 - variant}` : `2023-0${1 + variant}-01`;
    case 'enum': {
      const names = Object.keys(t.values);
      return names[Math.min(variant, names.length - 1)];
    }
    case 'boolean':
      return variant === 0;
  }
}

/** A valid create input: every required writable field (nullable ones left out, defaults applied by the API). */
export function sampleInput(facet: FacetDeclaration, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const f of facet.fields) {
    if (f.writable === false || f.nullable || f.defaultValue !== undefined) continue;
    input[f.name] = sampleValue(f);
  }
  return { ...input, ...overrides };
}

/**
 * A one-field update that keeps the record valid (the declaration's own `validateRecord` judges,
 * so a rule tying fields together — a subsidy at most the premium, amounts that add up — is kept).
 */
export function samplePatch(facet: FacetDeclaration): Record<string, unknown> {
  const base = storedForm(facet, sampleInput(facet));
  const today = new Date().toISOString().slice(0, 10);
  for (const field of facet.fields.filter((f) => f.writable !== false && !f.nullable)) {
    const candidates = field.type.kind === 'money' ? [Math.min(field.type.max, 1000.5), sampleValue(field, 1)] : [sampleValue(field, 1)];
    for (const value of candidates) {
      const patch = { [field.name]: value };
      if (!validateRecord(facet, { ...base, ...storedForm(facet, patch) }, today).problems.length) return patch;
    }
  }
  throw new Error(`${facet.kind}: no one-field update keeps the record valid`);
}

/** GraphQL enum names as stored values, defaults filled: what `validateRecord` reads. */
function storedForm(facet: FacetDeclaration, input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  for (const f of facet.fields) {
    const value = out[f.name];
    if (f.type.kind === 'enum' && typeof value === 'string' && value in f.type.values) out[f.name] = f.type.values[value];
  }
  return out;
}

/** Wrong values a client may send for `field`, each refused as BAD_USER_INPUT naming it. */
export function badValues(field: FacetField, today: string): unknown[] {
  const t = field.type;
  switch (t.kind) {
    case 'money':
      return [1.234, t.min - 1];
    case 'date': {
      const year = Number(today.slice(0, 4));
      return [`${year + 20}-01-01`, '1979-12-31'];
    }
    case 'year':
      return [t.min - 1, Number(today.slice(0, 4)) + t.aheadYears + 1];
    case 'int':
      return [t.min - 1, t.max + 1];
    case 'text':
      return ['   ', 'x'.repeat(t.maxLength + 1)];
    case 'enum':
    case 'boolean':
      return [];
  }
}

/** A valid stored row (column → value) of `facet`, every stored field filled; each `variant` a different one. */
export function sampleRow(facet: FacetDeclaration, variant = 0): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const f of facet.fields) {
    if (f.nullable || f.computed) continue;
    const value = f.defaultValue !== undefined ? f.defaultValue : sampleValue(f, variant);
    row[f.column] = f.type.kind === 'enum' && f.defaultValue === undefined ? f.type.values[value as string] : value;
  }
  return row;
}

/** SQL that is true for a stored record (alias `x`) its end mutation has already ended; null: the facet has no end. */
export function endedSql(facet: FacetDeclaration): string | null {
  const end = facet.mutations === 'custom' ? undefined : facet.mutations.end;
  if (!end) return null;
  const column = (name: string) => (facet.fields.find((f) => f.name === name) as FacetField).column;
  if (end.statusField) return `x.${column(end.statusField)} = '${end.statusValue}'`;
  return `x.${column(end.dateField)} IS NOT NULL`;
}
