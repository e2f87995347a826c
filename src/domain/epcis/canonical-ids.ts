/**
 * Value canonicalisation for the EPCIS event hash ID (CBV 2.0 §8.9, "EPCIS Event Hash ID"):
 * EPC URNs and GS1 Digital Link URIs → constrained canonical GS1 Digital Link URIs
 * (`https://id.gs1.org/...`), CBV URNs and bare CBV words → GS1 Web URIs, numbers and
 * timestamps → one lexical form. Behaviour follows the reference implementation
 * RalphTro/epcis-event-hash-generator (MIT), checked against its published test vectors.
 */

const CBV_URN_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['urn:epcglobal:cbv:bizstep:', 'https://ref.gs1.org/cbv/BizStep-'],
  ['urn:epcglobal:cbv:disp:', 'https://ref.gs1.org/cbv/Disp-'],
  ['urn:epcglobal:cbv:btt:', 'https://ref.gs1.org/cbv/BTT-'],
  ['urn:epcglobal:cbv:sdt:', 'https://ref.gs1.org/cbv/SDT-'],
  ['urn:epcglobal:cbv:er:', 'https://ref.gs1.org/cbv/ER-'],
];

/**
 * Replaces CBV 1.x URNs (business step, disposition, business transaction type,
 * source/destination type, error reason) by their CBV 2.0 GS1 Web URIs, wherever they occur.
 *
 * @example
 * cbvUrnToWebUri('urn:epcglobal:cbv:bizstep:shipping') // 'https://ref.gs1.org/cbv/BizStep-shipping'
 */
export function cbvUrnToWebUri(text: string): string {
  let out = text;
  for (const [urn, web] of CBV_URN_PREFIXES) out = out.split(urn).join(web);
  return out;
}

/** Which CBV/GS1 vocabulary a bare JSON word belongs to, by field (JSON-LD context `@vocab` terms). */
export type BareWordVocabulary = 'BizStep' | 'Disp' | 'BTT' | 'SDT' | 'ER' | 'Comp' | 'gs1';

/**
 * Expands a bare CBV word (`shipping`, `in_transit`, `po`, `Temperature`, …) to its GS1 Web URI,
 * as the EPCIS JSON-LD context does for `@type: @vocab` terms. Values containing `:` are returned unchanged.
 *
 * @example
 * expandBareWord('shipping', 'BizStep') // 'https://ref.gs1.org/cbv/BizStep-shipping'
 * expandBareWord('Temperature', 'gs1')  // 'https://gs1.org/voc/Temperature'
 */
export function expandBareWord(
  word: string,
  vocabulary: BareWordVocabulary,
  namespaces: { readonly cbv?: string; readonly gs1?: string } = {},
): string {
  if (word.includes(':') || word.trim() === '') return word;
  if (vocabulary === 'gs1') return (namespaces.gs1 ?? 'https://gs1.org/voc/') + word;
  return `${namespaces.cbv ?? 'https://ref.gs1.org/cbv/'}${vocabulary}-${word}`;
}

const PY_FLOAT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;

/**
 * Normalises a numeric lexical form the way the reference implementation does
 * (Python `float` → `int` when integral → `str`): drops leading `+`, leading zeros and trailing
 * zeros; uses Python's shortest repr (`1e-05` style below 1e-4). Non-numbers are returned unchanged.
 *
 * @example
 * canonicalNumber('26.000') // '26'
 * canonicalNumber('0.180')  // '0.18'
 * canonicalNumber('KGM')    // 'KGM'
 */
export function canonicalNumber(text: string): string {
  if (!PY_FLOAT.test(text)) return text;
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isFinite(n)) return text;
  if (Number.isInteger(n)) return BigInt(n).toString();
  return pythonFloatRepr(n);
}

function pythonFloatRepr(n: number): string {
  // JS toExponential() without digits gives the shortest round-trip digits, like Python's repr.
  const [mantissa = '', expPart = '0'] = n.toExponential().split('e');
  const exp = Number(expPart);
  if (exp < -4 || exp >= 16) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Normalises an ISO 8601 date-time to UTC with exactly three fractional digits and `Z`.
 * Sub-millisecond digits are rounded half-to-even (as Python's `round(µs, -3)`); a value without
 * an offset is taken as UTC. Text that is not a timestamp is returned unchanged.
 *
 * @example
 * canonicalTimestamp('2020-03-04T11:00:30+01:00')          // '2020-03-04T10:00:30.000Z'
 * canonicalTimestamp('2019-10-21T14:58:56.000000+02:00')   // '2019-10-21T12:58:56.000Z'
 */
export function canonicalTimestamp(text: string): string {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return text;
  const [, y, mo, d, h, mi, s = '0', frac = '', tz] = m;
  const micros = Number(frac.padEnd(6, '0').slice(0, 6));
  let millis = Math.floor(micros / 1000);
  const rest = micros % 1000;
  if (rest > 500 || (rest === 500 && millis % 2 === 1)) millis += 1;
  let offsetMinutes = 0;
  if (tz && tz.toUpperCase() !== 'Z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  const utc =
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), millis) -
    offsetMinutes * 60_000;
  if (Number.isNaN(utc)) return text;
  return new Date(utc).toISOString();
}

/** GS1 mod-10 check digit over the given digits (the check digit position excluded). */
export function gs1CheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[digits.length - 1 - i]);
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Percent-encodes the characters GS1 Digital Link requires in path values (as the reference does). */
function webUriEncode(value: string): string {
  return value
    .replace(/!/g, '%21')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A')
    .replace(/\+/g, '%2B')
    .replace(/,/g, '%2C')
    .replace(/:/g, '%3A');
}

const EPC_CHAR = String.raw`(?:%[0-9A-Fa-f]{2}|[!')(*+,.0-9:;=A-Za-z_-])`;
const CPI_CHAR = String.raw`(?:%2[3dfDF]|%3[0-9]|%4[1-9A-Fa-f]|%5[0-9Aa]|[0-9A-Z-])`;

/** gcp + reference digits with a fixed total length and a GS1 Company Prefix of 6..12 digits. */
function split(gcp: string, ref: string, total: number): boolean {
  return gcp.length >= 6 && gcp.length <= 12 && gcp.length + ref.length === total;
}

function gtin14(gcp: string, itemRef: string): string {
  const body = itemRef.slice(0, 1) + gcp + itemRef.slice(1);
  return body + gs1CheckDigit(body);
}

function withCheck(body: string): string {
  return body + gs1CheckDigit(body);
}

type EpcRule = { re: RegExp; to: (g: string[]) => string | null };

const EPC_RULES: EpcRule[] = [
  {
    re: new RegExp(String.raw`^urn:epc:id:sgtin:(\d+)\.(\d+)\.(${EPC_CHAR}{1,20})$`),
    to: ([gcp = '', item = '', serial = '']) =>
      split(gcp, item, 13) ? `https://id.gs1.org/01/${gtin14(gcp, item)}/21/${webUriEncode(serial)}` : null,
  },
  {
    re: /^urn:epc:id:sscc:(\d+)\.(\d+)$/,
    to: ([gcp = '', ref = '']) =>
      split(gcp, ref, 17) ? `https://id.gs1.org/00/${withCheck(ref.slice(0, 1) + gcp + ref.slice(1))}` : null,
  },
  {
    re: new RegExp(String.raw`^urn:epc:id:sgln:(\d+)\.(\d*)\.(${EPC_CHAR}{1,20})$`),
    to: ([gcp = '', loc = '', ext = '']) => {
      if (!split(gcp, loc, 12)) return null;
      const gln = `https://id.gs1.org/414/${withCheck(gcp + loc)}`;
      return ext === '0' ? gln : `${gln}/254/${webUriEncode(ext)}`;
    },
  },
  {
    re: new RegExp(String.raw`^urn:epc:id:grai:(\d+)\.(\d*)\.(${EPC_CHAR}{1,16})$`),
    to: ([gcp = '', asset = '', serial = '']) =>
      split(gcp, asset, 12) ? `https://id.gs1.org/8003/${withCheck('0' + gcp + asset)}${webUriEncode(serial)}` : null,
  },
  {
    re: new RegExp(String.raw`^urn:epc:id:giai:(\d+)\.(${EPC_CHAR}+)$`),
    to: ([gcp = '', ref = '']) =>
      gcp.length >= 6 && gcp.length <= 12 ? `https://id.gs1.org/8004/${gcp}${webUriEncode(ref)}` : null,
  },
  {
    re: /^urn:epc:id:gsrn:(\d+)\.(\d+)$/,
    to: ([gcp = '', ref = '']) => (split(gcp, ref, 17) ? `https://id.gs1.org/8018/${withCheck(gcp + ref)}` : null),
  },
  {
    re: /^urn:epc:id:gsrnp:(\d+)\.(\d+)$/,
    to: ([gcp = '', ref = '']) => (split(gcp, ref, 17) ? `https://id.gs1.org/8017/${withCheck(gcp + ref)}` : null),
  },
  {
    re: new RegExp(String.raw`^urn:epc:id:gdti:(\d+)\.(\d*)\.(${EPC_CHAR}{0,17})$`),
    to: ([gcp = '', doc = '', serial = '']) =>
      split(gcp, doc, 12) ? `https://id.gs1.org/253/${withCheck(gcp + doc)}${webUriEncode(serial)}` : null,
  },
  {
    re: new RegExp(String.raw`^urn:epc:id:cpi:(\d+)\.(${CPI_CHAR}+)\.(\d{1,12})$`),
    to: ([gcp = '', ref = '', serial = '']) =>
      `https://id.gs1.org/8010/${webUriEncode(gcp + ref)}/8011/${serial}`,
  },
  {
    re: /^urn:epc:id:sgcn:(\d+)\.(\d*)\.(\d{1,12})$/,
    to: ([gcp = '', ref = '', serial = '']) =>
      split(gcp, ref, 12) ? `https://id.gs1.org/255/${withCheck(gcp + ref)}${serial}` : null,
  },
  {
    re: new RegExp(String.raw`^urn:epc:id:ginc:(\d+)\.(${EPC_CHAR}+)$`),
    to: ([gcp = '', ref = '']) => `https://id.gs1.org/401/${gcp}${webUriEncode(ref)}`,
  },
  {
    re: /^urn:epc:id:gsin:(\d+)\.(\d+)$/,
    to: ([gcp = '', ref = '']) => (split(gcp, ref, 16) ? `https://id.gs1.org/402/${withCheck(gcp + ref)}` : null),
  },
  {
    re: new RegExp(String.raw`^urn:epc:id:itip:(\d+)\.(\d+)\.(\d{2})\.(\d{2})\.(${EPC_CHAR}{1,20})$`),
    to: ([gcp = '', item = '', piece = '', total = '', serial = '']) =>
      split(gcp, item, 13)
        ? `https://id.gs1.org/8006/${gtin14(gcp, item)}${piece}${total}/21/${webUriEncode(serial)}`
        : null,
  },
  {
    re: new RegExp(String.raw`^urn:epc:id:upui:(\d+)\.(\d+)\.(${EPC_CHAR}{1,28})$`),
    to: ([gcp = '', item = '', serial = '']) =>
      split(gcp, item, 13) ? `https://id.gs1.org/01/${gtin14(gcp, item)}/235/${webUriEncode(serial)}` : null,
  },
  {
    re: /^urn:epc:id:pgln:(\d+)\.(\d*)$/,
    to: ([gcp = '', ref = '']) => (split(gcp, ref, 12) ? `https://id.gs1.org/417/${withCheck(gcp + ref)}` : null),
  },
  {
    re: new RegExp(String.raw`^urn:epc:class:lgtin:(\d+)\.(\d+)\.(${EPC_CHAR}{1,20})$`),
    to: ([gcp = '', item = '', lot = '']) =>
      split(gcp, item, 13) ? `https://id.gs1.org/01/${gtin14(gcp, item)}/10/${webUriEncode(lot)}` : null,
  },
  {
    re: /^urn:epc:idpat:sgtin:(\d+)\.(\d+)\.\*$/,
    to: ([gcp = '', item = '']) => (split(gcp, item, 13) ? `https://id.gs1.org/01/${gtin14(gcp, item)}` : null),
  },
  {
    re: /^urn:epc:idpat:grai:(\d+)\.(\d*)\.\*$/,
    to: ([gcp = '', asset = '']) =>
      split(gcp, asset, 12) ? `https://id.gs1.org/8003/${withCheck('0' + gcp + asset)}` : null,
  },
  {
    re: /^urn:epc:idpat:gdti:(\d+)\.(\d*)\.\*$/,
    to: ([gcp = '', doc = '']) => (split(gcp, doc, 12) ? `https://id.gs1.org/253/${withCheck(gcp + doc)}` : null),
  },
  {
    re: /^urn:epc:idpat:sgcn:(\d+)\.(\d*)\.\*$/,
    to: ([gcp = '', ref = '']) => (split(gcp, ref, 12) ? `https://id.gs1.org/255/${withCheck(gcp + ref)}` : null),
  },
  {
    re: new RegExp(String.raw`^urn:epc:idpat:cpi:(\d+)\.(${CPI_CHAR}+)\.\*$`),
    to: ([gcp = '', ref = '']) => `https://id.gs1.org/8010/${webUriEncode(gcp + ref)}`,
  },
  {
    re: /^urn:epc:idpat:itip:(\d+)\.(\d+)\.(\d{2})\.(\d{2})\.\*$/,
    to: ([gcp = '', item = '', piece = '', total = '']) =>
      split(gcp, item, 13) ? `https://id.gs1.org/8006/${gtin14(gcp, item)}${piece}${total}` : null,
  },
  {
    re: /^urn:epc:idpat:upui:(\d+)\.(\d+)\.\*$/,
    to: ([gcp = '', item = '']) => (split(gcp, item, 13) ? `https://id.gs1.org/01/${gtin14(gcp, item)}` : null),
  },
];

const DL_ALIASES: ReadonlyArray<readonly [string, string]> = [
  ['gtin', '01'], ['itip', '8006'], ['cpid', '8010'], ['gln', '414'], ['party', '417'],
  ['gsrnp', '8017'], ['gsrn', '8018'], ['gcn', '255'], ['sscc', '00'], ['gdti', '253'],
  ['ginc', '401'], ['gsin', '402'], ['grai', '8003'], ['giai', '8004'], ['cpv', '22'],
  ['lot', '10'], ['ser', '21'],
];
/** Primary-key AIs in the order the reference implementation probes them when re-rooting a URI. */
const DL_PRIMARY_AIS = ['00', '01', '253', '255', '401', '402', '414', '417', '8003', '8004', '8006', '8010', '8017', '8018'];
const DL_CANDIDATE = new RegExp(
  String.raw`^https?:(\/\/((([^\/?#]*)@)?([^\/?#:]*)(:([^\/?#]*))?))?([^?#]*)\/(01|gtin|8006|itip|8010|cpid|414|gln|417|party|8017|gsrnp|8018|gsrn|255|gcn|00|sscc|253|gdti|401|ginc|402|gsin|8003|grai|8004|giai)\/\d{4}[^\/]+`,
);
const DL_CANONICAL_ROOT = /^https:\/\/id\.gs1\.org\/(01|8006|8010|414|417|8017|8018|255|00|253|401|402|8003|8004)\/\d{4}[^/]+/;
const DL_C = String.raw`[\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]`;
const DL_VALID: RegExp[] = [
  /^https:\/\/id\.gs1\.org\/00\/\d{18}$/,
  new RegExp(String.raw`^https://id\.gs1\.org/01/\d{14}/21/${DL_C}{0,20}$`),
  new RegExp(String.raw`^https://id\.gs1\.org/01/\d{14}/10/${DL_C}{0,20}$`),
  /^https:\/\/id\.gs1\.org\/01\/\d{14}$/,
  new RegExp(String.raw`^https://id\.gs1\.org/01/\d{14}/235/${DL_C}{0,28}$`),
  new RegExp(String.raw`^https://id\.gs1\.org/253/\d{13}${DL_C}{0,17}$`),
  /^https:\/\/id\.gs1\.org\/255\/\d{13}\d{0,12}$/,
  new RegExp(String.raw`^https://id\.gs1\.org/401/${DL_C}{0,30}$`),
  /^https:\/\/id\.gs1\.org\/402\/\d{17}$/,
  /^https:\/\/id\.gs1\.org\/414\/\d{13}$/,
  new RegExp(String.raw`^https://id\.gs1\.org/414/\d{13}/254/${DL_C}{0,20}$`),
  /^https:\/\/id\.gs1\.org\/417\/\d{13}$/,
  new RegExp(String.raw`^https://id\.gs1\.org/8003/\d{14}${DL_C}{0,16}$`),
  new RegExp(String.raw`^https://id\.gs1\.org/8004/${DL_C}{0,30}$`),
  new RegExp(String.raw`^https://id\.gs1\.org/8006/\d{18}/21/${DL_C}{0,20}$`),
  new RegExp(String.raw`^https://id\.gs1\.org/8006/\d{18}/10/${DL_C}{0,20}$`),
  /^https:\/\/id\.gs1\.org\/8006\/\d{18}$/,
  /^https:\/\/id\.gs1\.org\/8010\/[\x23\x2D\x2F\x30-\x39\x41-\x5A]{0,30}\/8011\/\d{0,12}$/,
  /^https:\/\/id\.gs1\.org\/8010\/[\x23\x2D\x2F\x30-\x39\x41-\x5A]{0,30}$/,
  /^https:\/\/id\.gs1\.org\/8017\/\d{18}$/,
  /^https:\/\/id\.gs1\.org\/8018\/\d{18}$/,
];

function constrainDigitalLink(input: string): string | null {
  if (!DL_CANDIDATE.test(input)) return null;
  let uri = input.includes('?') ? input.slice(0, input.indexOf('?')) : input;
  for (const [alias, ai] of DL_ALIASES) uri = uri.split(`/${alias}/`).join(`/${ai}/`);
  if (!DL_CANONICAL_ROOT.test(uri)) {
    const ai = DL_PRIMARY_AIS.find((k) => uri.includes(`/${k}/`));
    if (ai !== undefined) uri = 'https://id.gs1.org' + uri.slice(uri.indexOf(`/${ai}/`));
  }
  if (!/^https:\/\/id\.gs1\.org\/01\/\d{14}/.test(uri)) {
    if (/^https:\/\/id\.gs1\.org\/01\/\d{13}/.test(uri)) uri = uri.replace('/01/', '/01/0');
    else if (/^https:\/\/id\.gs1\.org\/01\/\d{12}/.test(uri)) uri = uri.replace('/01/', '/01/00');
    else if (/^https:\/\/id\.gs1\.org\/01\/\d{8}/.test(uri)) uri = uri.replace('/01/', '/01/000000');
  }
  // Drop a consumer product variant (AI 22): it does not identify a different object.
  const cpv = new RegExp(String.raw`^https://id\.gs1\.org/(?:8006/\d{18}|01/\d{14})/22/[/\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20}$`);
  if (cpv.test(uri)) {
    const at = uri.indexOf('/22/');
    const after = uri.slice(at + 4);
    const slash = after.indexOf('/');
    uri = uri.slice(0, at) + (slash >= 0 ? after.slice(slash) : '');
  }
  // Keep only the finest identification level: a serial makes the lot redundant.
  const lotAndSerial = new RegExp(String.raw`^https://id\.gs1\.org/(?:8006/\d{18}|01/\d{14})/10/${DL_C}{0,20}/21/${DL_C}{0,20}$`);
  if (lotAndSerial.test(uri)) {
    const at = uri.indexOf('/10/');
    const after = uri.slice(at + 4);
    uri = uri.slice(0, at) + after.slice(after.indexOf('/'));
  }
  return DL_VALID.some((re) => re.test(uri)) ? uri : null;
}

/**
 * Converts an identifier carrying a GS1 key (EPC URI, EPC class URI, EPC ID pattern URI or
 * GS1 Digital Link URI on any domain) to the constrained canonical GS1 Digital Link URI:
 * `https://id.gs1.org`, AIs instead of short names, no query string, finest ID level only.
 * Returns `null` when the value carries no recognisable GS1 key.
 *
 * @example
 * toCanonicalDigitalLink('urn:epc:id:sgtin:0614141.107346.2017')
 * // 'https://id.gs1.org/01/10614141073464/21/2017'
 * toCanonicalDigitalLink('https://id.gs1.de/414/4012345000115') // 'https://id.gs1.org/414/4012345000115'
 * toCanonicalDigitalLink('geo:47.5,11.1')                        // null
 */
export function toCanonicalDigitalLink(uri: string): string | null {
  if (uri.startsWith('urn:epc:')) {
    for (const rule of EPC_RULES) {
      const m = rule.re.exec(uri);
      if (m) return rule.to(m.slice(1));
    }
    return null;
  }
  if (uri.startsWith('http://') || uri.startsWith('https://')) return constrainDigitalLink(uri);
  return null;
}

/**
 * The canonical form of a (non-timestamp) value in the pre-hash string: CBV URNs → Web URIs,
 * numbers normalised, GS1 keys → canonical Digital Link. Everything else is kept verbatim.
 *
 * @example
 * canonicalValue('urn:epcglobal:cbv:disp:in_transit') // 'https://ref.gs1.org/cbv/Disp-in_transit'
 * canonicalValue('12.10000')                           // '12.1'
 * canonicalValue('urn:epc:id:sscc:4012345.0000000111') // 'https://id.gs1.org/00/040123450000001112'
 */
export function canonicalValue(text: string): string {
  const value = canonicalNumber(cbvUrnToWebUri(text));
  return toCanonicalDigitalLink(value) ?? value;
}
