/**
 * GB/T 2260 administrative division codes: 6 digits; XX0000 province, XXYY00 prefecture,
 * anything else county level. Municipality districts and province-administered county-level
 * units hang directly under the province, so a parent is looked up, never inferred alone.
 */
export type DivisionLevel = 'province' | 'prefecture' | 'county';

export function isDivisionCode(code: string): boolean {
  return /^\d{6}$/.test(code) && code.slice(0, 2) !== '00';
}

/** The level a code's digit pattern implies. */
export function levelOfCode(code: string): DivisionLevel {
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'prefecture';
  return 'county';
}

/** The parent levels a division of this level may hang under. */
export function allowedParentLevels(level: DivisionLevel): DivisionLevel[] {
  if (level === 'province') return [];
  if (level === 'prefecture') return ['province'];
  return ['prefecture', 'province'];
}

/** Whether a child code belongs under a parent code by its digits (same province; same prefecture digits for a prefecture parent). */
export function codeFitsParent(code: string, parentCode: string, parentLevel: DivisionLevel): boolean {
  if (parentLevel === 'province') return code.slice(0, 2) === parentCode.slice(0, 2);
  if (parentLevel === 'prefecture') return code.slice(0, 4) === parentCode.slice(0, 4);
  return false;
}
