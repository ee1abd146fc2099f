// 公民身份号码 resident ID numbers (GB 11643-1999): 6-digit division code of the place of
// registration, 8-digit birth date (YYYYMMDD), 3-digit sequence (odd for men, even for
// women) and one ISO 7064 MOD 11-2 check character (0–9 or X).

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The check character for the first 17 digits of an ID number. */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('an ID number body has 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** Whether `value` is a well-formed 18-character ID number with a valid checksum and a real birth date. */
export function isValidIdNumber(value: string): boolean {
  if (!/^\d{17}[\dX]$/.test(value)) return false;
  if (idNumberCheckChar(value.slice(0, 17)) !== value[17]) return false;
  return idNumberBirthDate(value) !== null;
}

/** The birth date encoded in an ID number (ISO date), or null when it is not a calendar date. */
export function idNumberBirthDate(value: string): string | null {
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  if (y < 1880 || m < 1 || m > 12 || d < 1) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
}

/** The gender encoded in the sequence digit (17th character): odd men, even women. */
export function idNumberGender(value: string): 'male' | 'female' {
  return Number(value[16]) % 2 === 1 ? 'male' : 'female';
}

/** Builds a valid ID number from its parts (seeds and tests). */
export function makeIdNumber(division6: string, birthDate: string, sequence: number): string {
  const body = `${division6}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  return body + idNumberCheckChar(body);
}
