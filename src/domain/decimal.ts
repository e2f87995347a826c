/**
 * Exact decimal ↔ scaled-integer conversion. Masses, REO contents and factors enter and leave
 * the system as decimal strings and live as integers, so no float ever touches a sum.
 */

export class DecimalFormatError extends Error {
  constructor(readonly rule: 'format' | 'scale' | 'negative', message: string) { super(message); }
}

/**
 * Parses a non-negative decimal ("12.5", "0.000001", 3) into an integer scaled by 10^scale.
 * Refuses more fractional digits than the scale allows, rather than rounding silently.
 * @example parseScaledDecimal('1.5', 6) // 1500000n
 */
export function parseScaledDecimal(input: string | number, scale: number): bigint {
  const text = typeof input === 'number' ? numberToPlainString(input) : input.trim();
  if (text.startsWith('-')) throw new DecimalFormatError('negative', 'must not be negative');
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text) ?? /^()\.(\d+)$/.exec(text);
  if (!match) throw new DecimalFormatError('format', `"${text}" is not a decimal number`);
  const whole = match[1] || '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > scale) {
    throw new DecimalFormatError('scale', `at most ${scale} decimal places`);
  }
  return BigInt(whole) * 10n ** BigInt(scale) + BigInt((fraction + '0'.repeat(scale)).slice(0, scale) || '0');
}

/**
 * Formats an integer scaled by 10^scale as a decimal string with exactly `scale` places.
 * @example formatScaledDecimal(1500000n, 6) // '1.500000'
 */
export function formatScaledDecimal(value: bigint | number, scale: number): string {
  const v = BigInt(value);
  const negative = v < 0n;
  const abs = negative ? -v : v;
  const unit = 10n ** BigInt(scale);
  const whole = abs / unit;
  const fraction = (abs % unit).toString().padStart(scale, '0');
  return `${negative ? '-' : ''}${whole}${scale > 0 ? '.' + fraction : ''}`;
}

function numberToPlainString(n: number): string {
  if (!Number.isFinite(n)) throw new DecimalFormatError('format', 'must be a finite number');
  if (n < 0) throw new DecimalFormatError('negative', 'must not be negative');
  // toString gives the shortest round-trip form; expand exponent notation.
  const s = n.toString();
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}
