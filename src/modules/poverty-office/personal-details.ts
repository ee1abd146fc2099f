import { badInput } from '../../core/errors';

// Free-text notes of the poverty office (measure evidence, visit notes) are read by every
// coordinator in scope and may be quoted in notices: they must not carry personal details. A
// person's health belongs to 卫健 health alone (DESIGN §1), and ID and phone numbers to the
// registry. Words cannot be judged by a pattern, so this refuses what a pattern can see: an
// 18-digit ID number (or 15-digit old one), a mobile or landline number, a bank card number,
// and the common clinical words; the field descriptions tell writers the rest.

const PATTERNS: Array<[RegExp, string]> = [
  [/(?<!\d)\d{17}[\dXx](?!\d)|(?<!\d)\d{15}(?!\d)/, 'an ID number'],
  [/(?<!\d)1[3-9]\d{9}(?!\d)/, 'a mobile phone number'],
  [/(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/, 'a phone number'],
  [/(?<!\d)\d{16,19}(?!\d)/, 'a bank card number'],
  [/诊断|确诊|病历|癌|肿瘤|艾滋|HIV|精神病|精神分裂|尿毒症|白血病|透析|化疗|住院号|病史/i, 'health details'],
];

/** Refuses `text` when it carries an ID, phone or bank card number or clinical words. */
export function assertNoPersonalDetails(field: string, text: string | null | undefined): void {
  if (!text) return;
  // Digits split by spaces or dashes are still the number.
  const squeezed = text.replace(/(?<=\d)[\s-](?=\d)/g, '');
  for (const [pattern, what] of PATTERNS) {
    if (pattern.test(squeezed) || pattern.test(text)) throw badInput(field, `must not carry ${what} (notes are read across departments: no personal details)`);
  }
}
