/**
 * REO (rare earth oxide equivalent) of a lot: mass × REO content. Contents live as integer parts
 * per million; metals and alloys hold rare earth *metal*, whose oxide equivalent uses each
 * element's metal-to-oxide factor, so their content can exceed 1,000,000 ppm.
 */
import { parseScaledDecimal } from '../decimal.ts';

export const PPM = 1_000_000n;

export interface ProductContent { category: string; reoPpm: number; elementSplitPpm: Record<string, number> | null }

const METALLIC = new Set(['metal', 'alloy']);

/**
 * REO ppm of a product's mass. For metals and alloys: metal content × Σ(element share × factor).
 * @example reoPpmOfProduct({ category: 'metal', reoPpm: 1_000_000, elementSplitPpm: { Nd: 1_000_000 } }, { Nd: '1.1664' }) // 1166400n
 */
export function reoPpmOfProduct(product: ProductContent, metalToOxide: Readonly<Record<string, string>>): bigint {
  if (!METALLIC.has(product.category) || !product.elementSplitPpm) return BigInt(product.reoPpm);
  let weighted = 0n; // ppm of metal × factor scaled by 10^4
  let covered = 0n;
  for (const [symbol, share] of Object.entries(product.elementSplitPpm)) {
    const factor = metalToOxide[symbol];
    if (factor === undefined) continue;
    weighted += BigInt(share) * parseScaledDecimal(factor, 4);
    covered += BigInt(share);
  }
  // Elements without a factor count as their metal mass.
  weighted += (PPM - covered) * 10_000n;
  return (BigInt(product.reoPpm) * weighted) / (PPM * 10_000n);
}

/** REO grams of a mass at a content (rounded down: REO is never overstated). */
export const reoGrams = (grams: bigint, reoPpm: bigint): bigint => (grams * reoPpm) / PPM;

/** TREO as a percentage with up to four decimals → ppm. */
export function percentToPpm(percent: string | number): bigint {
  return parseScaledDecimal(percent, 4); // percent × 10^4 = ppm
}
