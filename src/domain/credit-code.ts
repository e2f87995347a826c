/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015.
 *
 * 18 characters from a 31-character alphabet (no I, O, Z, S, V):
 * 1 registration authority, 2 organisation type, 3–8 division code of the registering
 * authority, 9–17 organisation code (GB 11714), 18 check character.
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type CreditCodeProblem = 'length' | 'alphabet' | 'division_digits' | 'check_character';

/**
 * The check character for the first 17 characters of a credit code.
 * @example creditCodeCheckCharacter('91350100M000100Y4') // '3'
 */
export function creditCodeCheckCharacter(body17: string): string {
  if (body17.length !== 17) throw new RangeError('a credit code body has 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_ALPHABET.indexOf(body17[i]!);
    if (value < 0) throw new RangeError(`character ${body17[i]} is not in the GB 32100 alphabet`);
    sum += value * WEIGHTS[i]!;
  }
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_ALPHABET[check]!;
}

/**
 * Checks a credit code; returns the first rule it breaks, or null when valid.
 * @example validateCreditCode('91350100M000100Y43') // null
 */
export function validateCreditCode(code: string): CreditCodeProblem | null {
  if (code.length !== 18) return 'length';
  for (const ch of code) if (!CREDIT_CODE_ALPHABET.includes(ch)) return 'alphabet';
  if (!/^\d{6}$/.test(code.slice(2, 8))) return 'division_digits';
  if (creditCodeCheckCharacter(code.slice(0, 17)) !== code[17]) return 'check_character';
  return null;
}

/**
 * GB 11714 check character of an 8-character organisation code body (digits and capital letters),
 * the ninth character of the organisation code inside a credit code.
 */
export function organisationCodeCheckCharacter(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2] as const;
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body8[i]!;
    const value = ch >= '0' && ch <= '9' ? Number(ch) : ch.charCodeAt(0) - 55; // A = 10 … Z = 35
    sum += value * weights[i]!;
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}
