/**
 * Masses are integer grams (BIGINT); tonnes exist only at the edges (API, UI, reports).
 */
import { formatScaledDecimal, parseScaledDecimal } from './decimal.ts';

export const GRAMS_PER_TONNE = 1_000_000n;

/**
 * Tonnes as a decimal (at most 6 places: one gram) → grams.
 * @example tonnesToGrams('270000') // 270000000000n
 */
export function tonnesToGrams(tonnes: string | number): bigint {
  return parseScaledDecimal(tonnes, 6);
}

/**
 * Grams → tonnes as a decimal string with six places.
 * @example gramsToTonnes(1500000n) // '1.500000'
 */
export function gramsToTonnes(grams: bigint): string {
  return formatScaledDecimal(grams, 6);
}
