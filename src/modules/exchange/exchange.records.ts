/**
 * The three kinds of shared record, checked field by field: every problem is collected with its
 * path (`records.3.items.0.quantity`) and a rule code, so a department's system learns everything
 * wrong with a delivery at once. Pure: the catalogue, elements, HS codes and export-control rules
 * come in as a context.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateCreditCode } from '../../domain/credit-code.ts';
import { exportControlOf, type ExportControlRule } from '../../domain/export-control.ts';
import { isIsoDate } from '../../domain/validity.ts';
import type { FieldProblem } from '../shared/errors.ts';

export const KINDS = ['licences', 'declarations', 'invoices'] as const;
export type Kind = (typeof KINDS)[number];

/** Which department delivers which kind. */
export const DELIVERER: Record<Kind, string> = { licences: 'MOFCOM', declarations: 'GACC', invoices: 'STA' };

export interface CatalogueProduct {
  id: string; code: string; nameZh: string; nameEn: string; category: string; reoPpm: number;
  elementSplitPpm: Record<string, number> | null;
}

export interface HsCode { hsCode: string; category: string; elements: string[] }

export interface RecordContext {
  products: ReadonlyMap<string, CatalogueProduct>;
  elements: ReadonlySet<string>;
  rules: ExportControlRule[];
  hsCodes: ReadonlyMap<string, HsCode>;
}

let hsCache: Map<string, HsCode> | null = null;
/** The rare earth lines of the China customs tariff (data/reference/hs-codes.csv). */
export function rareEarthHsCodes(): ReadonlyMap<string, HsCode> {
  if (hsCache) return hsCache;
  const text = readFileSync(fileURLToPath(new URL('../../../data/reference/hs-codes.csv', import.meta.url)), 'utf8');
  hsCache = new Map();
  for (const line of text.split(/\r?\n/).slice(1)) {
    if (!line.trim()) continue;
    const m = /^(\d{10}),(?:"[^"]*"|[^,]*),([^,]*),(.*)$/.exec(line);
    if (m) hsCache.set(m[1]!, { hsCode: m[1]!, category: m[2]!, elements: m[3]!.split(';').map((e) => e.trim()).filter(Boolean) });
  }
  return hsCache;
}

// ---------------------------------------------------------------------------------------------
// Normalised records (what is hashed and stored)

export interface Party { creditCode: string; name: string }
export interface LicenceItem { element: string; productCode: string; quantityGrams: bigint; reoGrams: bigint | null }
export interface LicenceRecord {
  number: string; licenceNo: string; exporter: Party; endUserName: string; endUserCountry: string;
  validFrom: string; validTo: string; items: LicenceItem[];
}
export interface DeclarationRecord {
  number: string; declarationNo: string; direction: 'import' | 'export'; declarant: Party; party: Party;
  hsCode: string; goodsDescription: string; productCode: string | null; quantity: string; unit: string;
  quantityGrams: bigint; reoGrams: bigint | null; country: string; port: string; declaredOn: string; licenceNo: string | null;
}
export interface InvoiceRecord {
  number: string; invoiceCode: string; invoiceNumber: string; seller: Party; buyer: Party; goodsName: string; productCode: string;
  quantityBasis: 'product' | 'reo'; quantityGrams: bigint; reoGrams: bigint; amountFen: bigint; issuedOn: string;
}
export type AnyRecord = LicenceRecord | DeclarationRecord | InvoiceRecord;

// ---------------------------------------------------------------------------------------------
// Field readers

class Reader {
  constructor(readonly problems: FieldProblem[], readonly base: string, readonly raw: Record<string, unknown>) {}
  add(field: string, rule: string, message: string): void {
    this.problems.push({ field: `${this.base}.${field}`, rule, message });
  }
  text(field: string, options: { max?: number; optional?: boolean } = {}): string | null {
    const value = this.raw[field];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      if (!options.optional) this.add(field, 'required', `${field} is required`);
      return null;
    }
    if (typeof value !== 'string' && typeof value !== 'number') { this.add(field, 'type', `${field} must be text`); return null; }
    const s = String(value).trim();
    if (s.length > (options.max ?? 500)) { this.add(field, 'max_length', `${field} has at most ${options.max ?? 500} characters`); return null; }
    return s;
  }
  pattern(field: string, re: RegExp, message: string, optional = false): string | null {
    const s = this.text(field, { optional });
    if (s !== null && !re.test(s)) { this.add(field, 'format', message); return null; }
    return s;
  }
  date(field: string): string | null {
    const s = this.text(field);
    if (s !== null && !isIsoDate(s)) { this.add(field, 'date', `${field} must be a date YYYY-MM-DD`); return null; }
    return s;
  }
  country(field: string): string | null {
    const s = this.text(field);
    if (s !== null && !/^[A-Z]{2}$/.test(s.toUpperCase())) { this.add(field, 'country', `${field} must be an ISO 3166 two-letter country code`); return null; }
    return s?.toUpperCase() ?? null;
  }
  creditCode(field: string): string | null {
    const s = this.text(field);
    if (s === null) return null;
    const problem = validateCreditCode(s.toUpperCase());
    if (problem) { this.add(field, problem, `${field} is not a valid unified social credit code (${problem.replace('_', ' ')})`); return null; }
    return s.toUpperCase();
  }
  enumOf<T extends string>(field: string, values: readonly T[]): T | null {
    const s = this.text(field);
    if (s !== null && !values.includes(s as T)) { this.add(field, 'enum', `${field} must be one of ${values.join(', ')}`); return null; }
    return s as T | null;
  }
  /** A quantity with its unit (g, kg, t) → integer grams; no fractions of a gram. */
  mass(field: string, unitField: string): { quantity: string; unit: string; grams: bigint } | null {
    const q = this.text(field);
    const unit = this.enumOf(unitField, ['g', 'kg', 't'] as const);
    if (q === null) return null;
    const m = /^(\d{1,15})(?:\.(\d+))?$/.exec(q);
    if (!m) { this.add(field, 'format', `${field} must be a positive decimal number`); return null; }
    if (unit === null) return null;
    const scale = unit === 't' ? 6 : unit === 'kg' ? 3 : 0;
    const frac = (m[2] ?? '').replace(/0+$/, '');
    if (frac.length > scale) { this.add(field, 'scale', `${field} is finer than a gram (at most ${scale} decimals in ${unit})`); return null; }
    const grams = BigInt(m[1]!) * 10n ** BigInt(scale) + BigInt(frac.padEnd(scale, '0') || '0');
    if (grams <= 0n) { this.add(field, 'min', `${field} must be more than 0`); return null; }
    return { quantity: q, unit, grams };
  }
  /** Yuan with at most two decimals → fen. */
  money(field: string): bigint | null {
    const s = this.text(field);
    if (s === null) return null;
    const m = /^(\d{1,15})(?:\.(\d{1,2}))?$/.exec(s);
    if (!m) { this.add(field, 'format', `${field} must be an amount in yuan with at most 2 decimals`); return null; }
    return BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0') || '0');
  }
}

function asObject(problems: FieldProblem[], path: string, raw: unknown): Record<string, unknown> | null {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  problems.push({ field: path, rule: 'type', message: 'each record must be an object' });
  return null;
}

function reoOf(product: CatalogueProduct | undefined, grams: bigint): bigint | null {
  if (!product) return null;
  // Metals and alloys state the metal fraction; their REO equivalent needs the element factors (later).
  if (product.category === 'metal' || product.category === 'alloy') return null;
  return (grams * BigInt(product.reoPpm)) / 1_000_000n;
}

/** The elements an export of this product or HS line contains, for the export-control decision. */
export function controlledScopeElements(ctx: RecordContext, productCode: string | null, hsCode: string | null): string[] {
  const product = productCode ? ctx.products.get(productCode) : undefined;
  if (product) {
    // Announcements cover metals, alloys, oxides, compounds, mixtures and magnets, not ores.
    if (product.category === 'mineral_product') return [];
    return Object.entries(product.elementSplitPpm ?? {}).filter(([, ppm]) => ppm > 0).map(([el]) => el);
  }
  const hs = hsCode ? ctx.hsCodes.get(hsCode) : undefined;
  if (!hs || hs.category === 'mineral_product') return [];
  return hs.elements;
}

/** Whether an export of these elements needs a licence on the date, and by which announcements. */
export function licenceDecision(elements: string[], rules: ExportControlRule[], onDate: string) {
  const statuses = elements.flatMap((el) => exportControlOf(el, rules, onDate));
  const controlling = statuses.filter((s) => s.status === 'controlled');
  return { date: onDate, elements, needsLicence: controlling.length > 0, announcements: [...new Set(controlling.map((s) => s.announcement))], rules: statuses };
}

// ---------------------------------------------------------------------------------------------
// Per kind

const NUMBER = /^[A-Za-z0-9][A-Za-z0-9\-/]{2,39}$/;

function licence(r: Reader, ctx: RecordContext): LicenceRecord | null {
  const licenceNo = r.pattern('licenceNo', NUMBER, 'a licence number of 3–40 letters, digits, - or /');
  const exporterCreditCode = r.creditCode('exporterCreditCode');
  const exporterName = r.text('exporterName');
  const endUserName = r.text('endUserName');
  const endUserCountry = r.country('endUserCountry');
  const validFrom = r.date('validFrom');
  const validTo = r.date('validTo');
  if (validFrom && validTo && validTo < validFrom) r.add('validTo', 'after_valid_from', 'validTo must not be before validFrom');
  const items: LicenceItem[] = [];
  const rawItems = r.raw.items;
  if (!Array.isArray(rawItems) || rawItems.length === 0) r.add('items', 'min_items', 'a licence names at least one item');
  else rawItems.forEach((rawItem, j) => {
    const obj = asObject(r.problems, `${r.base}.items.${j}`, rawItem);
    if (!obj) return;
    const ir = new Reader(r.problems, `${r.base}.items.${j}`, obj);
    const element = ir.text('element');
    const productCode = ir.text('productCode');
    const mass = ir.mass('quantity', 'unit');
    const product = productCode ? ctx.products.get(productCode) : undefined;
    if (element && !ctx.elements.has(element)) ir.add('element', 'element', `${element} is not a rare earth element symbol`);
    if (productCode && !product) ir.add('productCode', 'catalogue', `${productCode} is not in the rare earth product catalogue`);
    if (element && product && ctx.elements.has(element) && !(product.elementSplitPpm && (product.elementSplitPpm[element] ?? 0) > 0)) {
      ir.add('element', 'element_not_in_product', `${product.code} contains no ${element}`);
    }
    if (element && productCode && mass && product) items.push({ element, productCode, quantityGrams: mass.grams, reoGrams: reoOf(product, mass.grams) });
  });
  if (!licenceNo || !exporterCreditCode || !exporterName || !endUserName || !endUserCountry || !validFrom || !validTo) return null;
  return { number: licenceNo, licenceNo, exporter: { creditCode: exporterCreditCode, name: exporterName }, endUserName, endUserCountry, validFrom, validTo, items };
}

function declaration(r: Reader, ctx: RecordContext): DeclarationRecord | null {
  const declarationNo = r.pattern('declarationNo', /^\d{18}$/, 'a customs declaration number has 18 digits');
  const direction = r.enumOf('direction', ['import', 'export'] as const);
  const declarantCreditCode = r.creditCode('declarantCreditCode');
  const declarantName = r.text('declarantName');
  const partyCreditCode = r.creditCode('partyCreditCode');
  const partyName = r.text('partyName');
  const hsCode = r.pattern('hsCode', /^\d{10}$/, 'a China customs code has 10 digits');
  const goodsDescription = r.text('goodsDescription');
  const productCode = r.text('productCode', { optional: true });
  if (productCode && !ctx.products.has(productCode)) r.add('productCode', 'catalogue', `${productCode} is not in the rare earth product catalogue`);
  const mass = r.mass('quantity', 'unit');
  const country = r.country('country');
  const port = r.text('port');
  const declaredOn = r.date('declaredOn');
  const licenceNo = r.pattern('licenceNo', NUMBER, 'a licence number of 3–40 letters, digits, - or /', true);
  if (direction === 'export' && declaredOn && hsCode && !licenceNo) {
    const decision = licenceDecision(controlledScopeElements(ctx, productCode, hsCode), ctx.rules, declaredOn);
    if (decision.needsLicence) {
      r.add('licenceNo', 'licence_required', `exporting ${decision.elements.join(', ')} on ${declaredOn} needs an export licence (${decision.announcements.join('; ')})`);
    }
  }
  if (!declarationNo || !direction || !declarantCreditCode || !declarantName || !partyCreditCode || !partyName || !hsCode || !goodsDescription
    || !mass || !country || !port || !declaredOn) return null;
  return {
    number: declarationNo, declarationNo, direction, declarant: { creditCode: declarantCreditCode, name: declarantName },
    party: { creditCode: partyCreditCode, name: partyName }, hsCode, goodsDescription, productCode: productCode ?? null,
    quantity: mass.quantity, unit: mass.unit, quantityGrams: mass.grams, reoGrams: reoOf(productCode ? ctx.products.get(productCode) : undefined, mass.grams),
    country, port, declaredOn, licenceNo: licenceNo ?? null,
  };
}

/** Goods names print as `*稀土冶炼分离产品*氧化镝`: the category between asterisks, then the catalogue name. */
function catalogueProduct(ctx: RecordContext, goodsName: string): CatalogueProduct | undefined {
  const name = goodsName.replace(/^\*[^*]*\*/, '').trim();
  for (const p of ctx.products.values()) if (p.nameZh === name || p.nameEn === name || p.code === name) return p;
  return undefined;
}

/** Mixed carbonates and oxalates are invoiced in REO equivalent (rare earth edition of the special invoice). */
export function statedInReo(product: CatalogueProduct): boolean {
  return /^SALT-(CARBONATE|OXALATE)/.test(product.code) || /混合(碳酸|草酸)稀土/.test(product.nameZh);
}

function invoice(r: Reader, ctx: RecordContext): InvoiceRecord | null {
  const invoiceCode = r.pattern('invoiceCode', /^\d{10}(\d{2})?$/, 'an invoice code has 10 or 12 digits');
  const invoiceNumber = r.pattern('invoiceNumber', /^\d{8}(\d{12})?$/, 'an invoice number has 8 digits (20 for a fully digital invoice)');
  const sellerCreditCode = r.creditCode('sellerCreditCode');
  const sellerName = r.text('sellerName');
  const buyerCreditCode = r.creditCode('buyerCreditCode');
  const buyerName = r.text('buyerName');
  const goodsName = r.text('goodsName');
  const product = goodsName ? catalogueProduct(ctx, goodsName) : undefined;
  if (goodsName && !product) r.add('goodsName', 'catalogue', `${goodsName} is not a goods name of the rare earth product catalogue`);
  const mass = r.mass('quantity', 'unit');
  const amountFen = r.money('amount');
  const issuedOn = r.date('issuedOn');
  if (!invoiceCode || !invoiceNumber || !sellerCreditCode || !sellerName || !buyerCreditCode || !buyerName || !goodsName || !product
    || !mass || amountFen === null || !issuedOn) return null;
  const basis = statedInReo(product) ? 'reo' : 'product';
  return {
    number: `${invoiceCode}-${invoiceNumber}`, invoiceCode, invoiceNumber, seller: { creditCode: sellerCreditCode, name: sellerName },
    buyer: { creditCode: buyerCreditCode, name: buyerName }, goodsName, productCode: product.code, quantityBasis: basis,
    quantityGrams: mass.grams, reoGrams: basis === 'reo' ? mass.grams : (mass.grams * BigInt(product.reoPpm)) / 1_000_000n,
    amountFen, issuedOn,
  };
}

const CHECKS = { licences: licence, declarations: declaration, invoices: invoice } as const;

/** Checks every record; returns the normalised records only when none has a problem. */
export function checkRecords(kind: Kind, raw: unknown[], ctx: RecordContext): { records: AnyRecord[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const records: AnyRecord[] = [];
  const seen = new Map<string, number>();
  raw.forEach((item, i) => {
    const obj = asObject(problems, `records.${i}`, item);
    if (!obj) return;
    const reader = new Reader(problems, `records.${i}`, obj);
    const record = CHECKS[kind](reader, ctx);
    if (!record) return;
    const earlier = seen.get(record.number);
    if (earlier !== undefined) {
      const field = kind === 'licences' ? 'licenceNo' : kind === 'declarations' ? 'declarationNo' : 'invoiceNumber';
      problems.push({ field: `records.${i}.${field}`, rule: 'duplicate', message: `${record.number} is also record ${earlier} of this delivery` });
      return;
    }
    seen.set(record.number, i);
    records.push(record);
  });
  return { records, problems };
}
