/**
 * Fractions (REO content of a product, an element's share of the REO) are stored as parts per
 * million, so that splits add up exactly.
 */
import { DecimalFormatError, formatScaledDecimal, parseScaledDecimal } from './decimal.ts';

export const PPM = 1_000_000;

export type FractionProblem = 'format' | 'scale' | 'negative' | 'above_one';

/**
 * A fraction 0..1 with at most six decimals → ppm; returns the rule broken instead of throwing.
 * @example fractionToPpm('0.92') // { ppm: 920000 }
 */
export function fractionToPpm(value: string | number): { ppm: number } | { problem: FractionProblem } {
  try {
    const scaled = parseScaledDecimal(value, 6);
    if (scaled > BigInt(PPM)) return { problem: 'above_one' };
    return { ppm: Number(scaled) };
  } catch (error) {
    if (error instanceof DecimalFormatError) return { problem: error.rule };
    throw error;
  }
}

/** @example ppmToFraction(920000) // '0.920000' */
export function ppmToFraction(ppm: number): string {
  return formatScaledDecimal(ppm, 6);
}
