import { addDays } from '../../core/write-checks';
import { columnSpecOf, type ColumnSpec, type FacetDeclaration } from '../../core/facet-declaration';
import { EARLIEST_DATE } from './column-tables';
import { FacetParent, ImportValueKind, type ImportColumnNode, type ImportSpecNode } from './import-spec.types';

// A declaration as its published column spec (GraphQL `importSpec`, the README tables).

const KIND: Record<ColumnSpec['type']['kind'], ImportValueKind> = {
  idNumber: ImportValueKind.ID_NUMBER,
  householdNumber: ImportValueKind.HOUSEHOLD_NUMBER,
  text: ImportValueKind.TEXT,
  int: ImportValueKind.INT,
  year: ImportValueKind.YEAR,
  money: ImportValueKind.MONEY,
  date: ImportValueKind.DATE,
  enum: ImportValueKind.ENUM,
  boolean: ImportValueKind.BOOLEAN,
};

/** One column of the spec; `today` (service calendar) fixes the bounds that move with it. */
export function importColumnOf(column: ColumnSpec, today: string): ImportColumnNode {
  const t = column.type;
  return {
    header: column.header,
    headerZh: column.zh,
    field: column.field,
    required: column.required,
    type: KIND[t.kind],
    allowedValues: t.kind === 'enum' ? Object.values(t.values) : null,
    min: t.kind === 'int' || t.kind === 'year' || t.kind === 'money' ? t.min : null,
    max: t.kind === 'int' || t.kind === 'money' ? t.max : t.kind === 'year' ? Number(today.slice(0, 4)) + t.aheadYears : null,
    maxLength: t.kind === 'text' ? t.maxLength : null,
    earliestDate: t.kind === 'date' ? EARLIEST_DATE : null,
    latestDate: t.kind === 'date' ? addDays(today, t.aheadDays) : null,
    description: column.description,
  };
}

export function importSpecOf(facet: FacetDeclaration, today: string): ImportSpecNode {
  const columns = columnSpecOf(facet);
  return {
    kind: facet.kind,
    description: facet.description,
    department: facet.department,
    parent: facet.parent === 'person' ? FacetParent.PERSON : FacetParent.HOUSEHOLD,
    parentKey: columns[0].header,
    naturalKey: facet.naturalKey.map((name) => columns.find((c) => c.field === name)?.header ?? name),
    columns: columns.map((c) => importColumnOf(c, today)),
  };
}
