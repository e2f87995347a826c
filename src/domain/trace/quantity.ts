/**
 * Weighed quantities: an EPCIS quantity with its unit of measure (UN/CEFACT Rec. 20) → integer
 * grams. Rare earth lots are weighed, so a lot quantity without a mass unit is refused.
 */
import { DecimalFormatError, formatScaledDecimal, parseScaledDecimal } from '../decimal.ts';

const SCALE: Record<string, number> = { GRM: 0, KGM: 3, TNE: 6 };

export type QuantityProblem = { rule: 'uom' | 'format' | 'scale' | 'positive'; message: string };

/** @example quantityToGrams(1250.5, 'KGM') // 1250500n */
export function quantityToGrams(quantity: unknown, uom: unknown): bigint | QuantityProblem {
  const scale = typeof uom === 'string' ? SCALE[uom] : undefined;
  if (scale === undefined) return { rule: 'uom', message: `a lot is weighed: uom must be KGM, TNE or GRM, not ${uom === undefined ? 'missing' : JSON.stringify(uom)}` };
  if (typeof quantity !== 'number' && typeof quantity !== 'string') return { rule: 'format', message: 'quantity must be a number' };
  try {
    const grams = parseScaledDecimal(quantity, scale);
    if (grams <= 0n) return { rule: 'positive', message: 'quantity must be more than zero' };
    return grams;
  } catch (error) {
    const rule = error instanceof DecimalFormatError && error.rule === 'scale' ? 'scale' : 'format';
    return { rule, message: rule === 'scale' ? `${uom} quantities are weighed to the gram at most` : (error as Error).message };
  }
}

/** Grams → kilograms as a decimal string with three places (the API's unit). */
export const gramsToKg = (grams: bigint): string => formatScaledDecimal(grams, 3);

/** Kilograms (up to three decimals) → grams. */
export const kgToGrams = (kg: string | number): bigint => parseScaledDecimal(kg, 3);
