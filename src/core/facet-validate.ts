import { addDays } from './write-checks';
import type { FacetDeclaration, FacetField, FacetFieldType } from './facet-declaration';

// Checking a facet record against its declaration: the one function a GraphQL write and an
// import row both run (issue 8 §2). Values arrive typed (GraphQL) or as CSV cells (text,
// `fromCell` first); either way a problem is named by field, with a code and a message in
// English and Chinese, so a transport can map it once (GraphQL BAD_USER_INPUT, an import's
// reject row).

/** Why a value is refused. */
export type FieldProblemCode = 'REQUIRED' | 'INVALID_FORMAT' | 'OUT_OF_RANGE' | 'NOT_IN_VOCABULARY' | 'RULE';

export interface FieldProblem {
  /** API field name (or the parent key, `idNumber` / `householdNumber`). */
  field: string;
  code: FieldProblemCode;
  message: string;
  messageZh: string;
}

const problem = (field: string, code: FieldProblemCode, message: string, messageZh: string): FieldProblem => ({ field, code, message, messageZh });

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `s` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const TRUE_CELLS = new Set(['true', '1', 'yes', 'y', '是']);
const FALSE_CELLS = new Set(['false', '0', 'no', 'n', '否']);

/**
 * A CSV cell as the value a GraphQL client would send: '' is null, numbers are parsed,
 * enum cells may be the stored value (`resident`) or the GraphQL name (`RESIDENT`), dates
 * also accept 2024/3/1 and 20240301 (what spreadsheet software writes), booleans 是/否.
 * A cell that cannot be read stays a string, and `validateValue` then refuses it by name.
 */
export function fromCell(type: FacetFieldType, cell: string): unknown {
  const text = cell.trim();
  if (text === '') return null;
  switch (type.kind) {
    case 'int':
    case 'year':
      return /^[+-]?\d+$/.test(text) ? Number(text) : text;
    case 'money': {
      const plain = text.replace(/,/g, '');
      return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(plain) ? Number(plain) : text;
    }
    case 'date': {
      const m = /^(\d{4})[/.-]?(\d{1,2})[/.-]?(\d{1,2})$/.exec(text);
      if (!m || (!/[/.-]/.test(text) && text.length !== 8)) return text;
      return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
    }
    case 'enum': {
      const values = Object.values(type.values);
      const lower = text.toLowerCase();
      return values.find((v) => v === lower) ?? type.values[text.toUpperCase()] ?? text;
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      return TRUE_CELLS.has(lower) ? true : FALSE_CELLS.has(lower) ? false : text;
    }
    default:
      return cell;
  }
}

/**
 * Checks one value of `field` (non-null) against its type; returns the value as stored (text
 * trimmed) or a problem. `today` is the service calendar's date (ctx.today).
 */
export function validateValue(field: FacetField, value: unknown, today: string): { value: unknown } | { problem: FieldProblem } {
  const t = field.type;
  const name = field.name;
  const fail = (code: FieldProblemCode, message: string, messageZh: string) => ({ problem: problem(name, code, message, messageZh) });
  switch (t.kind) {
    case 'text': {
      if (typeof value !== 'string') return fail('INVALID_FORMAT', 'must be text', '应为文本');
      const trimmed = value.trim();
      if (!trimmed) return fail('REQUIRED', 'must not be blank', '不能为空');
      if (trimmed.includes('\u0000')) return fail('INVALID_FORMAT', 'must not contain NUL characters', '含有非法字符');
      if ([...trimmed].length > t.maxLength) return fail('OUT_OF_RANGE', `must be at most ${t.maxLength} characters`, `不能超过 ${t.maxLength} 个字`);
      return { value: trimmed };
    }
    case 'int':
    case 'year': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail('INVALID_FORMAT', 'must be a whole number', '应为整数');
      const max = t.kind === 'year' ? Number(today.slice(0, 4)) + t.aheadYears : t.max;
      if (value < t.min || value > max) return fail('OUT_OF_RANGE', `must be from ${t.min} to ${max}`, `应在 ${t.min} 至 ${max} 之间`);
      return { value };
    }
    case 'money': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('INVALID_FORMAT', 'must be an amount in yuan', '应为金额（元）');
      if (Math.abs(Math.round(value * 100) - value * 100) > 1e-6) return fail('INVALID_FORMAT', 'must have at most two decimals', '最多两位小数');
      if (value < t.min || value > t.max) return fail('OUT_OF_RANGE', `must be from ${t.min} to ${t.max}`, `应在 ${t.min} 至 ${t.max} 元之间`);
      return { value };
    }
    case 'date': {
      if (typeof value !== 'string' || !isIsoDate(value)) return fail('INVALID_FORMAT', 'must be a date written YYYY-MM-DD', '日期格式应为 YYYY-MM-DD');
      const latest = addDays(today, t.aheadDays);
      if (value > latest) {
        return t.aheadDays === 0
          ? fail('OUT_OF_RANGE', 'must not be in the future', '不能晚于今天')
          : fail('OUT_OF_RANGE', `must not be later than ${latest}`, `不能晚于 ${latest}`);
      }
      if (value < '1980-01-01') return fail('OUT_OF_RANGE', 'must not be before 1980-01-01', '不能早于 1980-01-01');
      return { value };
    }
    case 'enum': {
      const allowed = Object.values(t.values);
      if (typeof value !== 'string' || !allowed.includes(value)) {
        return fail('NOT_IN_VOCABULARY', `must be one of ${Object.keys(t.values).join(', ')}`, `应为以下之一：${Object.keys(t.values).join('、')}`);
      }
      return { value };
    }
    case 'boolean':
      return typeof value === 'boolean' ? { value } : fail('INVALID_FORMAT', 'must be true or false', '应为 是 或 否');
  }
}

/**
 * Checks a whole record (API field names → values; on update the merged record) against the
 * declaration: required fields, each value, date order and the facet's own rule. Returns the
 * record as stored and every problem found (not only the first: an import row lists them all).
 * `only` limits the per-field checks to the fields a patch sent; the record-level checks
 * always run over the merged record.
 */
export function validateRecord(
  facet: FacetDeclaration,
  record: Record<string, unknown>,
  today: string,
  only?: ReadonlySet<string>,
): { record: Record<string, unknown>; problems: FieldProblem[] } {
  const fields = validateFields(facet, record, today, only);
  if (fields.problems.length) return fields;
  return { record: fields.record, problems: validateRules(facet, fields.record) };
}

/**
 * The per-field part of `validateRecord`: required fields and each value (of the fields in
 * `only`, when given). Returns the record as stored and every problem found.
 */
export function validateFields(
  facet: FacetDeclaration,
  record: Record<string, unknown>,
  today: string,
  only?: ReadonlySet<string>,
): { record: Record<string, unknown>; problems: FieldProblem[] } {
  const out: Record<string, unknown> = { ...record };
  const problems: FieldProblem[] = [];
  for (const field of facet.fields) {
    if (field.writable === false || (only && !only.has(field.name))) continue;
    let value = record[field.name];
    if (value === undefined && field.defaultValue !== undefined && !only) value = field.defaultValue;
    if (value === undefined || value === null) {
      if (!field.nullable) problems.push(problem(field.name, 'REQUIRED', 'is required', '必填'));
      out[field.name] = null;
      continue;
    }
    const checked = validateValue(field, value, today);
    if ('problem' in checked) problems.push(checked.problem);
    else out[field.name] = checked.value;
  }
  return { record: out, problems };
}

/**
 * The record-level part of `validateRecord`, over a record whose values have passed
 * `validateFields`: date order (`notBefore`), then the facet's own rule.
 */
export function validateRules(facet: FacetDeclaration, record: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of facet.fields) {
    if (!field.notBefore) continue;
    const value = record[field.name];
    const start = record[field.notBefore];
    if (typeof value === 'string' && typeof start === 'string' && value < start) {
      problems.push(problem(field.name, 'RULE', `must not be before ${field.notBefore} (${start})`, `不能早于${start}`));
    }
  }
  const rule = problems.length ? null : facet.check?.(record);
  if (rule) problems.push(problem(rule.field, 'RULE', rule.message, rule.messageZh));
  return problems;
}
