import dayjs from 'dayjs';

/** "0.9200" → "92.00%" without floating-point surprises in the digits shown. */
export function fractionToPercent(fraction: string | null | undefined, digits = 2): string {
  if (fraction === null || fraction === undefined || fraction === '') return '';
  const n = Number(fraction);
  if (!Number.isFinite(n)) return fraction;
  return `${(n * 100).toFixed(digits)}%`;
}

/** Moves the decimal point of a decimal string: shiftDecimal('92.5', -2) === '0.925'. Exact, string-based. */
export function shiftDecimal(value: string, places: number): string {
  const s = value.trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return s;
  const sign = m[1] === '-' ? '-' : '';
  let digits = `${m[2] ?? ''}${m[3] ?? ''}`;
  let point = (m[2] ?? '').length + places;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  let intPart = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  let fracPart = digits.slice(point).replace(/0+$/, '');
  if (intPart === '') intPart = '0';
  if (fracPart === '') return `${sign}${intPart}`;
  return `${sign}${intPart}.${fracPart}`;
}

export const percentToFraction = (percent: string): string => shiftDecimal(percent, -2);
export const fractionToPercentInput = (fraction: string): string => shiftDecimal(fraction, 2);

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = dayjs(iso);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : iso;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = dayjs(iso);
  return d.isValid() ? d.format('YYYY-MM-DD') : iso;
}

/** Picks the name in the current language, falling back to Chinese. */
export function localName(lang: string, item: { nameZh: string; nameEn?: string | null } | null | undefined): string {
  if (!item) return '';
  return lang.startsWith('en') && item.nameEn ? item.nameEn : item.nameZh;
}

/** "6000.000000" → "6000", "150.500000" → "150.5": decimal strings without trailing zeros. */
export function trimDecimal(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return /^-?\d+\.\d*$/.test(value) ? value.replace(/\.?0+$/, '') : value;
}

/** Tonnes as the API gives them ("129999.500000") → "129,999.5", exact (string-based), with a sign when asked. */
export function formatTonnes(value: string | number | null | undefined, options: { signed?: boolean } = {}): string {
  if (value === null || value === undefined || value === '') return '';
  const s = trimDecimal(typeof value === 'number' ? String(value) : value);
  const m = /^([+-]?)(\d+)(\.\d+)?$/.exec(s);
  if (!m) return s;
  const sign = m[1] === '-' ? '-' : options.signed && m[2] !== '0' ? '+' : '';
  return `${sign}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}
