/**
 * A filled flows template (XLSX, Chinese or English headers) → one EPCIS 2.0 JSON-LD document →
 * the same capture as POST /epcis/capture, so an upload meets exactly the checks an API client
 * meets and is stored all-or-nothing by the capture's transaction. Errors come back by spreadsheet
 * row and column header: the sheet's own checks are collected for every row before anything is
 * captured, and the capture's problems on event i are mapped back to the row(s) that made event i.
 */
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { validateCreditCode } from '../../domain/credit-code.ts';
import { toCanonicalDigitalLink } from '../../domain/epcis/canonical-ids.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { enterprises, products, rareEarthElements } from '../registry/registry.tables.ts';
import { AppError, forbidden, type FieldProblem } from '../shared/errors.ts';
import { captureDocument, type CaptureJobOut } from './capture.service.ts';
import { zipSizeProblem } from '../shared/zip-guard.ts';
import {
  COLUMNS, KIND_WORDS, REQUIRED_BY_KIND, ROW_KINDS, SHEET_NAMES, headerOf,
  type ColumnKey, type RowKind, type TemplateLanguage,
} from './spreadsheet.template.ts';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const EPCIS_CONTEXT = ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld', { ytb: 'https://ns.ytterby.cn/epcis/' }] as const;
const OFFSET = '+08:00';
const CHINA_MS = 8 * 3600_000;

/** A zip this small can still inflate to gigabytes; exceljs holds the whole workbook in memory. */
const MAX_DATA_ROWS = 50_000;
/** Every error is reported, up to this many; a sheet wrong throughout would otherwise answer megabytes. */
const MAX_PROBLEMS = 1000;
const MAX_KG = 1_000_000_000;

export interface UploadContext {
  /** The recording enterprise's unified social credit code (own minted lots, site codes). */
  creditCode: string;
  productCodes: ReadonlySet<string>;
  elementSymbols: ReadonlySet<string>;
  now: Date;
}

/** Which rows made an event and, per quantity list, which row each quantity element came from. */
export interface EventSource {
  rows: ParsedRow[];
  lists: Partial<Record<'quantityList' | 'inputQuantityList' | 'outputQuantityList', ParsedRow[]>>;
}

export interface ParsedRow {
  n: number;
  kind: RowKind;
  eventTime: string;
  lot: string;
  /** The column the lot was given in, for pointing errors at what the user typed. */
  lotColumn: ColumnKey;
  /** Lots named by GS1 keys carry their product in the ILMD; minted lots name it in the URI. */
  gs1Lot: boolean;
  productCode: string | null;
  quantity: number;
  treoPercent: string | null;
  elements: Record<string, string> | null;
  location: string | null;
  party: string | null;
  invoiceNo: string | null;
  country: string | null;
  customsNo: string | null;
  ref: string | null;
}

export interface FlowsDocument {
  document: Record<string, unknown>;
  sources: EventSource[];
  lang: TemplateLanguage;
  /** The column headers as the upload spells them. */
  header(key: ColumnKey): string;
}

/** Reads, checks and converts a workbook; throws a 422 listing every row error when any row is wrong. */
export async function flowsDocument(buffer: Buffer, ctx: UploadContext): Promise<FlowsDocument> {
  checkZipSize(buffer);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch (error) {
    throw unreadable(`the file is not an XLSX workbook: ${(error as Error).message}`);
  }
  const sheet = flowsSheet(workbook);
  if (!sheet) throw unreadable('the workbook has no flows sheet (流向 / flows) with the template’s header row');
  const problems = new Problems();
  const layout = readHeader(sheet, problems);
  problems.throwIfAny();
  const rows: ParsedRow[] = [];
  let dataRows = 0;
  // A transformation with a refused row is not also reported as lacking inputs or outputs.
  const failedRefs = new Set<string>();
  sheet.eachRow({ includeEmpty: false }, (row, n) => {
    if (n === 1) return;
    const cells = new Map<ColumnKey, Cell>();
    for (const [key, col] of layout.columns) {
      const cell = cellOf(row.getCell(col));
      if (cell.error || cell.text !== '' || cell.number !== undefined || cell.date) cells.set(key, cell);
    }
    if (cells.size === 0) return;
    if (++dataRows > MAX_DATA_ROWS) {
      if (dataRows === MAX_DATA_ROWS + 1) problems.add(n, layout.header('kind'), 'max_rows', `at most ${MAX_DATA_ROWS} rows per upload; split the month into several uploads`);
      return;
    }
    const parsed = parseRow(n, cells, layout, ctx, problems);
    if (parsed) rows.push(parsed);
    else if (cells.get('transformationRef')?.text) failedRefs.add(cells.get('transformationRef')!.text);
  });
  if (dataRows === 0 && !problems.any()) problems.add(2, layout.header('kind'), 'required', 'the sheet has no rows to record');
  const built = buildEvents(rows, layout, problems, failedRefs);
  problems.throwIfAny();
  const document = {
    '@context': EPCIS_CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: ctx.now.toISOString(),
    epcisBody: { eventList: built.events },
  };
  return { document, sources: built.sources, lang: layout.lang, header: layout.header };
}

/** The whole upload: who records, what they may name, the sheet, then the capture. */
export async function captureUpload(db: Db, actor: Actor, buffer: Buffer): Promise<CaptureJobOut> {
  requirePermission(actor, 'trace.capture');
  if (!actor.enterpriseId) throw forbidden('events are captured by the enterprise that records them; sign in as its operator', 'trace.enterprise_only');
  const [enterprise] = await db.select({ creditCode: enterprises.creditCode }).from(enterprises).where(eq(enterprises.id, actor.enterpriseId));
  if (!enterprise) throw forbidden('your enterprise is not registered', 'trace.enterprise_only');
  const [productRows, elementRows] = await Promise.all([
    db.select({ code: products.code }).from(products).where(eq(products.active, true)),
    db.select({ symbol: rareEarthElements.symbol }).from(rareEarthElements),
  ]);
  const flows = await flowsDocument(buffer, {
    creditCode: enterprise.creditCode, productCodes: new Set(productRows.map((p) => p.code)),
    elementSymbols: new Set(elementRows.map((e) => e.symbol)), now: new Date(),
  });
  try {
    return await captureDocument(db, actor, flows.document, JSON.stringify(flows.document));
  } catch (error) {
    if (error instanceof AppError && error.problems.length) throw toRowError(error, flows);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Problems

class Problems {
  readonly items: FieldProblem[] = [];
  private total = 0;
  add(row: number, column: string, rule: string, message: string): void {
    this.total++;
    if (this.items.length < MAX_PROBLEMS) this.items.push({ field: `row ${row} / ${column}`, rule, message, row, column });
  }
  any(): boolean {
    return this.total > 0;
  }
  throwIfAny(): void {
    if (this.total === 0) return;
    const items = [...this.items];
    if (this.total > items.length) items.push({ field: 'file', rule: 'max_items', message: `${this.total - items.length} more problem(s) not listed; fix these and upload again` });
    throw uploadError('validation', 'trace.upload_invalid', items);
  }
}

function uploadError(kind: AppError['kind'], code: string, problems: FieldProblem[], extra: Record<string, unknown> = {}): AppError {
  const first = problems[0]!;
  const summary = `the upload was not recorded: ${problems.length} problem(s); first at ${first.field}: ${first.message}`;
  return new AppError(kind, code, summary, problems, extra);
}

function unreadable(message: string): AppError {
  return new AppError('bad_request', 'trace.upload_unreadable', message, [{ field: 'file', rule: 'xlsx', message }]);
}

// ---------------------------------------------------------------------------------------------
// The zip container

function checkZipSize(buffer: Buffer): void {
  const problem = zipSizeProblem(buffer);
  if (problem) throw unreadable(problem);
}

// ---------------------------------------------------------------------------------------------
// Sheet and header

const normalise = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[\s_*]+/g, '');

/** Header text (either language, or the column key) → column. */
const HEADER_INDEX = new Map<string, { key: ColumnKey; lang: TemplateLanguage | null }>();
for (const c of COLUMNS) {
  HEADER_INDEX.set(normalise(c['zh-CN']), { key: c.key, lang: 'zh-CN' });
  HEADER_INDEX.set(normalise(c.en), { key: c.key, lang: 'en' });
}
// The keys themselves (quantityKg, …) are accepted too, without voting for a language.
for (const c of COLUMNS) if (!HEADER_INDEX.has(normalise(c.key))) HEADER_INDEX.set(normalise(c.key), { key: c.key, lang: null });

function flowsSheet(workbook: ExcelJS.Workbook): ExcelJS.Worksheet | undefined {
  const names = new Set(Object.values(SHEET_NAMES.flows).map(normalise));
  const named = workbook.worksheets.find((s) => names.has(normalise(s.name)));
  if (named) return named;
  // A renamed sheet is still found by its header row.
  return workbook.worksheets.find((s) => HEADER_INDEX.get(normalise(cellOf(s.getCell(1, 1)).text))?.key === 'kind');
}

interface Layout {
  lang: TemplateLanguage;
  columns: Map<ColumnKey, number>;
  /** The header as the upload spells it, or the template's in the upload's language when the column is absent. */
  header(key: ColumnKey): string;
}

function readHeader(sheet: ExcelJS.Worksheet, problems: Problems): Layout {
  const columns = new Map<ColumnKey, number>();
  const spelled = new Map<ColumnKey, string>();
  const votes = { 'zh-CN': 0, en: 0 };
  const row = sheet.getRow(1);
  for (let col = 1; col <= Math.max(row.cellCount, COLUMNS.length); col++) {
    const text = cellOf(row.getCell(col)).text;
    const hit = text ? HEADER_INDEX.get(normalise(text)) : undefined;
    if (!hit) continue;
    if (hit.lang) votes[hit.lang]++;
    if (columns.has(hit.key)) {
      problems.add(1, text, 'duplicate', `the column “${text}” appears twice (also column ${columns.get(hit.key)})`);
      continue;
    }
    columns.set(hit.key, col);
    spelled.set(hit.key, text);
  }
  const lang: TemplateLanguage = votes.en > votes['zh-CN'] ? 'en' : 'zh-CN';
  const header = (key: ColumnKey) => spelled.get(key) ?? headerOf(key, lang);
  const needed: ColumnKey[] = ['kind', 'eventTime', 'quantityKg'];
  for (const key of needed) {
    if (!columns.has(key)) problems.add(1, header(key), 'required', `the header row lacks the column “${header(key)}”; keep the template’s header row`);
  }
  if (!columns.has('lotUri') && !columns.has('lotNumber')) problems.add(1, header('lotUri'), 'required', `the header row lacks both “${header('lotUri')}” and “${header('lotNumber')}”`);
  return { lang, columns, header };
}

// ---------------------------------------------------------------------------------------------
// Cells

interface Cell { text: string; number?: number; date?: Date; error?: string; percent?: boolean }

function cellOf(cell: ExcelJS.Cell): Cell {
  const percent = typeof cell.numFmt === 'string' && cell.numFmt.includes('%');
  return { ...valueOf(cell.value), ...(percent ? { percent } : {}) };
}

function valueOf(value: ExcelJS.CellValue | undefined): Cell {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'number') return { text: String(value), number: value };
  if (typeof value === 'string') return { text: value.trim() };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) return { text: value.toISOString(), date: value };
  if ('error' in value) return { text: '', error: String(value.error) };
  if ('richText' in value) return { text: value.richText.map((r) => r.text).join('').trim() };
  if ('formula' in value || 'sharedFormula' in value) return valueOf((value as { result?: ExcelJS.CellValue }).result);
  if ('hyperlink' in value) {
    const text = (value as { text?: unknown }).text;
    return typeof text === 'string' ? { text: text.trim() } : valueOf(text as ExcelJS.CellValue);
  }
  return { text: '' };
}

/** Codes typed where Excel made a number of them: exact below 2^53, else lost digits. */
function codeText(cell: Cell): string | null {
  if (cell.number === undefined) return cell.text;
  return Number.isSafeInteger(cell.number) ? String(cell.number) : null;
}

// ---------------------------------------------------------------------------------------------
// Rows

const KIND_INDEX = new Map<string, RowKind>(ROW_KINDS.flatMap((k) => [
  [normalise(k), k], [normalise(KIND_WORDS[k]['zh-CN']), k], [normalise(KIND_WORDS[k].en), k],
]));

const COMMON: readonly ColumnKey[] = ['kind', 'eventTime', 'lotUri', 'lotNumber', 'productCode', 'quantityKg', 'location'];
const OPTIONAL_BY_KIND: Partial<Record<RowKind, readonly ColumnKey[]>> = { mining: ['elementSplit'], receipt: ['invoiceNo'] };
const CREATES_LOT: ReadonlySet<RowKind> = new Set(['mining', 'import', 'transformation_output']);

const MINTED = /^https:\/\/id\.ytterby\.cn\/l\/([^/?#]+)\/([^/?#]+)\/10\/([^/?#]+)$/;
const LOT_NUMBER = /^[A-Za-z0-9._-]{1,20}$/;
const SITE_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

function parseRow(n: number, cells: Map<ColumnKey, Cell>, layout: Layout, ctx: UploadContext, problems: Problems): ParsedRow | null {
  const h = layout.header;
  const before = problems.items.length;
  const add = (key: ColumnKey, rule: string, message: string) => problems.add(n, h(key), rule, message);
  const text = (key: ColumnKey) => cells.get(key)?.text ?? '';
  for (const [key, cell] of cells) if (cell.error) add(key, 'formula_error', `the cell shows the error ${cell.error}`);

  const kindText = text('kind');
  const kind = KIND_INDEX.get(normalise(kindText));
  if (!kindText) add('kind', 'required', 'say what the row records (e.g. 发货 / Shipment / shipment)');
  else if (!kind) add('kind', 'enum', `“${kindText}” is not a row kind; use one of ${ROW_KINDS.map((k) => `${KIND_WORDS[k]['zh-CN']} / ${KIND_WORDS[k].en}`).join(', ')}`);
  if (!kind) return null;

  const allowed = new Set<ColumnKey>([...COMMON, ...REQUIRED_BY_KIND[kind], ...(OPTIONAL_BY_KIND[kind] ?? [])]);
  for (const key of cells.keys()) {
    if (!allowed.has(key)) add(key, 'not_allowed', `not used on ${KIND_WORDS[kind].en.toLowerCase()} rows; leave it empty`);
  }
  const required = (key: ColumnKey): Cell | null => {
    const cell = cells.get(key);
    if (!cell || (cell.text === '' && cell.number === undefined && !cell.date)) {
      if (!cell?.error) add(key, 'required', `required on ${KIND_WORDS[kind].en.toLowerCase()} rows`);
      return null;
    }
    return cell.error ? null : cell;
  };

  const timeCell = required('eventTime');
  const eventTime = timeCell ? parseTime(timeCell, ctx.now, (rule, message) => add('eventTime', rule, message)) : null;

  const quantityCell = required('quantityKg');
  const quantity = quantityCell ? parseDecimal(quantityCell, 3, { min: 0, max: MAX_KG, unit: 'kg' }, (rule, message) => add('quantityKg', rule, message)) : null;

  // Product code: optional, but it must be in the catalogue whenever given.
  let productCode: string | null = null;
  const productCell = cells.get('productCode');
  if (productCell && !productCell.error) {
    productCode = productCell.text.toUpperCase();
    if (!ctx.productCodes.has(productCode)) add('productCode', 'exists', `${productCell.text} is not an active product of the catalogue`);
  }

  // The lot: a URI, or a lot number of this enterprise with the product code.
  let lot: string | null = null;
  let lotColumn: ColumnKey = 'lotUri';
  let gs1Lot = false;
  const uriCell = cells.get('lotUri');
  const numberCell = cells.get('lotNumber');
  const uriText = uriCell && !uriCell.error ? uriCell.text : '';
  const numberText = numberCell && !numberCell.error ? codeText(numberCell) : '';
  if (numberText === null) add('lotNumber', 'format', 'type the lot number as text (the cell holds a number too long to keep exactly)');
  let formed: string | null = null;
  if (numberText) {
    lotColumn = 'lotNumber';
    if (!LOT_NUMBER.test(numberText)) add('lotNumber', 'format', 'a lot number has 1–20 letters, digits, “.”, “-” or “_”');
    else if (!productCell && !uriText) add('productCode', 'required', `a lot given by its lot number needs the product code (the lot is https://id.ytterby.cn/l/${ctx.creditCode}/{product code}/10/${numberText})`);
    else if (productCode) formed = `https://id.ytterby.cn/l/${ctx.creditCode}/${productCode}/10/${numberText}`;
  }
  if (uriText) {
    lotColumn = 'lotUri';
    const minted = MINTED.exec(uriText);
    if (minted) {
      const [, party, product] = minted;
      if (validateCreditCode(party!) !== null) add('lotUri', 'format', `${party} in the lot URI is not a unified social credit code`);
      else if (CREATES_LOT.has(kind) && party !== ctx.creditCode) add('lotUri', 'not_allowed', `a lot you produce or import is named under your own credit code (https://id.ytterby.cn/l/${ctx.creditCode}/…)`);
      if (!ctx.productCodes.has(product!)) add('lotUri', 'exists', `the product ${product} in the lot URI is not an active product of the catalogue`);
      else if (productCode && productCode !== product) add('productCode', 'mismatch', `the lot URI names the product ${product}`);
      lot = uriText;
    } else if (/^(https?:\/\/|urn:epc:class:lgtin:)/.test(uriText) && toCanonicalDigitalLink(uriText)?.match(/\/01\/\d{14}\/10\/[^/]+$/)) {
      gs1Lot = true;
      lot = uriText;
      if (CREATES_LOT.has(kind) && !productCell) add('productCode', 'required', 'a new lot with a GS1 identifier needs the product code (it is recorded as ytb:product)');
    } else {
      add('lotUri', 'format', 'a lot URI is https://id.ytterby.cn/l/{credit code}/{product code}/10/{lot number}, or a GS1 lot (https://id.gs1.org/01/{GTIN}/10/{lot} or urn:epc:class:lgtin:…)');
    }
    if (lot && formed && formed !== lot) add('lotNumber', 'mismatch', `the lot number and product code give ${formed}, not the lot URI of this row; fill in one of them`);
  } else if (formed) {
    lot = formed;
  } else if (!numberText && numberText !== null) {
    add('lotUri', 'required', `give the lot URI, or the lot number and product code`);
  }

  let treoPercent: string | null = null;
  let elements: Record<string, string> | null = null;
  if (kind === 'mining') {
    const treoCell = required('treoPercent');
    if (treoCell) {
      const value = parseDecimal(treoCell.percent && treoCell.number !== undefined ? { text: String(treoCell.number * 100), number: round(treoCell.number * 100, 6) } : treoCell,
        4, { min: 0, max: 100, unit: '%' }, (rule, message) => add('treoPercent', rule, message));
      if (value !== null) treoPercent = percentText(value);
    }
    const splitCell = cells.get('elementSplit');
    if (splitCell?.text) elements = parseSplit(splitCell.text, ctx.elementSymbols, (rule, message) => add('elementSplit', rule, message));
  }

  let location: string | null = null;
  const locationCell = kind === 'mining' ? required('location') : cells.get('location');
  if (locationCell && !locationCell.error) {
    const value = codeText(locationCell) ?? '';
    if (/^(https?:\/\/|urn:)\S+$/.test(value)) location = value;
    else if (SITE_CODE.test(value)) location = `https://id.ytterby.cn/loc/${ctx.creditCode}/${value}`;
    else add('location', 'format', 'a site code (letters, digits, “.”, “-”, “_”, e.g. MINE-1) or a location URI');
  }

  let party: string | null = null;
  if (kind === 'shipment' || kind === 'receipt') {
    const cell = required('counterparty');
    if (cell) {
      const code = (codeText(cell) ?? '').toUpperCase();
      const problem = validateCreditCode(code);
      if (problem) add('counterparty', problem, creditCodeMessage(problem));
      else if (code === ctx.creditCode) add('counterparty', 'self', 'the counterparty is another enterprise, not your own');
      else party = `https://id.ytterby.cn/party/${code}`;
    }
  }

  let invoiceNo: string | null = null;
  const invoiceCell = kind === 'shipment' ? required('invoiceNo') : kind === 'receipt' ? cells.get('invoiceNo') : undefined;
  if (invoiceCell && !invoiceCell.error) {
    const value = codeText(invoiceCell);
    if (value === null) add('invoiceNo', 'format', 'type the invoice number as text (Excel rounded the number)');
    else if (!/^\d{8,20}$/.test(value)) add('invoiceNo', 'format', 'the special VAT invoice number has 8–20 digits');
    else invoiceNo = value;
  }

  let country: string | null = null;
  let customsNo: string | null = null;
  if (kind === 'import' || kind === 'export') {
    const countryCell = required('country');
    if (countryCell) {
      const value = countryCell.text.toUpperCase();
      if (!/^[A-Z]{2}$/.test(value) || !regionNames.of(value)) add('country', 'format', 'an ISO 3166 country code of two letters, e.g. MM, DE');
      else if (value === 'CN') add('country', 'not_allowed', kind === 'import' ? 'an import comes from another country' : 'an export goes to another country');
      else country = value;
    }
    const customsCell = required('customsNo');
    if (customsCell) {
      const value = codeText(customsCell);
      if (value === null || !/^\d{18}$/.test(value)) add('customsNo', 'format', 'the customs declaration number has 18 digits (type it as text)');
      else customsNo = value;
    }
  }

  let ref: string | null = null;
  if (kind === 'transformation_input' || kind === 'transformation_output') {
    const cell = required('transformationRef');
    if (cell) {
      ref = codeText(cell) ?? cell.text;
      if (ref.length > 60) add('transformationRef', 'max_length', 'at most 60 characters');
    }
  }

  if (problems.items.length > before || !eventTime || quantity === null || !lot) return null;
  return { n, kind, eventTime, lot, lotColumn, gs1Lot, productCode, quantity, treoPercent, elements, location, party, invoiceNo, country, customsNo, ref };
}

function creditCodeMessage(problem: string): string {
  switch (problem) {
    case 'length': return 'a unified social credit code has 18 characters';
    case 'alphabet': return 'a unified social credit code has digits and capital letters other than I, O, Z, S, V';
    case 'division_digits': return 'characters 3–8 of a unified social credit code are a division code (6 digits)';
    default: return 'the check character of the unified social credit code is wrong; check for a typing error';
  }
}

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

/** Percentages as the docs write them ("92.00"), keeping a third or fourth decimal when given. */
function percentText(value: number): string {
  let places = 2;
  while (places < 4 && Math.abs(round(value, places) - value) > 1e-9) places++;
  return value.toFixed(places);
}

/** A positive decimal of at most `places` decimals, from a number cell or typed text (thousands separators allowed). */
function parseDecimal(cell: Cell, places: number, bounds: { min: number; max: number; unit: string }, fail: (rule: string, message: string) => void): number | null {
  let value: number;
  if (cell.number !== undefined) {
    value = cell.number;
    // Doubles such as 0.1 + 0.2 are still the 3-decimal quantity the user meant.
    if (!Number.isFinite(value) || Math.abs(value * 10 ** places - Math.round(value * 10 ** places)) > 1e-6 * Math.max(1, Math.abs(value))) {
      fail('decimals', `at most ${places} decimals`);
      return null;
    }
    value = round(value, places);
  } else {
    const text = cell.text.replace(/[,，\s]/g, '');
    if (!/^\d+(\.\d+)?$/.test(text)) {
      fail('number', `“${cell.text}” is not a number`);
      return null;
    }
    if ((text.split('.')[1] ?? '').length > places) {
      fail('decimals', `at most ${places} decimals`);
      return null;
    }
    value = Number(text);
  }
  if (value <= bounds.min) fail('min', `must be above ${bounds.min} ${bounds.unit}`);
  else if (value > bounds.max) fail('max', `must be at most ${bounds.max.toLocaleString('en')} ${bounds.unit}`);
  else return value;
  return null;
}

/** "Y:62;Dy:8" → { Y: "62.00", Dy: "8.00" }: percentages of the TREO. */
function parseSplit(text: string, symbols: ReadonlySet<string>, fail: (rule: string, message: string) => void): Record<string, string> | null {
  const out: Record<string, string> = {};
  let sum = 0;
  let ok = true;
  for (const part of text.normalize('NFKC').split(/[;,]/).map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-z]{1,2})\s*[:=]\s*(\d+(?:\.\d+)?)\s*%?$/.exec(part);
    if (!m) {
      fail('format', `“${part}” is not element:percent (e.g. Y:62;Dy:8)`);
      ok = false;
      continue;
    }
    const symbol = m[1]![0]!.toUpperCase() + m[1]!.slice(1).toLowerCase();
    const value = Number(m[2]);
    if (!symbols.has(symbol)) { fail('element', `${m[1]} is not a rare earth element symbol`); ok = false; continue; }
    if (symbol in out) { fail('duplicate', `${symbol} appears twice`); ok = false; continue; }
    if ((m[2]!.split('.')[1] ?? '').length > 4 || value <= 0 || value > 100) { fail('range', `${symbol}: a percentage above 0 and at most 100 with up to 4 decimals`); ok = false; continue; }
    out[symbol] = percentText(value);
    sum += value;
  }
  if (ok && sum > 100.005) { fail('sum', `the elements add up to ${round(sum, 2)} %, more than 100 % of the TREO`); ok = false; }
  return ok && Object.keys(out).length ? out : null;
}

const pad = (x: number, width = 2) => String(x).padStart(width, '0');

/** China wall-clock time from a date cell, an Excel serial or typed text; ISO 8601 with +08:00. */
function parseTime(cell: Cell, now: Date, fail: (rule: string, message: string) => void): string | null {
  let wall: Date | null = null; // wall-clock time in China, held in the UTC fields
  if (cell.date) {
    // exceljs reads a date cell's serial as if it were UTC: its UTC fields are what the sheet shows.
    wall = new Date(Math.round(cell.date.getTime() / 1000) * 1000);
  } else if (cell.number !== undefined) {
    if (cell.number > 36526 && cell.number < 73051) wall = new Date(Math.round((cell.number - 25569) * 86400) * 1000);
  } else {
    const text = cell.text.normalize('NFKC').replace(/年|月/g, '-').replace(/日/g, ' ').replace(/\s+/g, ' ').trim();
    const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
    if (m) {
      const [y, mo, d, hh = '0', mm = '0', ss = '0'] = m.slice(1, 7).map((x) => x ?? undefined) as string[];
      const fields = [Number(y), Number(mo), Number(d), Number(hh), Number(mm), Number(ss)] as const;
      const candidate = new Date(Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5]));
      const same = candidate.getUTCFullYear() === fields[0] && candidate.getUTCMonth() === fields[1] - 1 && candidate.getUTCDate() === fields[2]
        && fields[3] < 24 && fields[4] < 60 && fields[5] < 60;
      if (same) {
        wall = candidate;
        const zone = m[7];
        if (zone) {
          // A time given in another zone is recorded as the same instant in China time.
          const minutes = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
          wall = new Date(candidate.getTime() - minutes * 60_000 + CHINA_MS);
        }
      }
    }
  }
  if (!wall || Number.isNaN(wall.getTime())) {
    fail('date', `“${cell.text}” is not a date and time (e.g. 2026-03-05 08:30, China time)`);
    return null;
  }
  const instant = wall.getTime() - CHINA_MS;
  if (instant > now.getTime() + 5 * 60_000) {
    fail('future', 'is in the future; record what has happened');
    return null;
  }
  if (wall.getUTCFullYear() < 2000) {
    fail('range', 'is before 2000');
    return null;
  }
  return `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}.000${OFFSET}`;
}

// ---------------------------------------------------------------------------------------------
// Events

const quantityOf = (r: ParsedRow) => ({ epcClass: r.lot, quantity: r.quantity, uom: 'KGM' });

function buildEvents(rows: ParsedRow[], layout: Layout, problems: Problems, failedRefs: ReadonlySet<string>): { events: Record<string, unknown>[]; sources: EventSource[] } {
  const h = layout.header;
  const events: Record<string, unknown>[] = [];
  const sources: EventSource[] = [];

  // A lot is created once; a second row creating it would be refused by the capture with less context.
  const created = new Map<string, number>();
  for (const r of rows) {
    if (!CREATES_LOT.has(r.kind)) continue;
    const first = created.get(r.lot);
    if (first !== undefined) problems.add(r.n, h(r.lotColumn), 'duplicate', `row ${first} already creates the lot ${r.lot}`);
    else created.set(r.lot, r.n);
  }

  const groups = new Map<string, ParsedRow[]>();
  for (const r of rows) {
    if (r.ref === null) continue;
    const group = groups.get(r.ref) ?? [];
    group.push(r);
    groups.set(r.ref, group);
  }
  for (const [ref, group] of groups) checkTransformation(ref, group, layout, problems, failedRefs.has(ref));

  const seen = new Map<string, number>();
  const emitted = new Set<string>();
  for (const r of rows) {
    if (r.ref !== null) {
      if (emitted.has(r.ref)) continue;
      emitted.add(r.ref);
      const group = groups.get(r.ref)!;
      const inputs = group.filter((g) => g.kind === 'transformation_input');
      const outputs = group.filter((g) => g.kind === 'transformation_output');
      const gs1Products = [...new Set(outputs.filter((o) => o.gs1Lot).map((o) => o.productCode))];
      const location = group.find((g) => g.location)?.location;
      events.push({
        type: 'TransformationEvent', eventTime: r.eventTime, eventTimeZoneOffset: OFFSET,
        inputQuantityList: inputs.map(quantityOf), outputQuantityList: outputs.map(quantityOf),
        ...(location ? { bizLocation: { id: location } } : {}),
        ...(gs1Products.length === 1 ? { ilmd: { 'ytb:product': gs1Products[0] } } : {}),
      });
      sources.push({ rows: group, lists: { inputQuantityList: inputs, outputQuantityList: outputs } });
      continue;
    }
    const event = objectEvent(r);
    const key = JSON.stringify(event);
    const twin = seen.get(key);
    // The capture keeps one of two identical events (same event hash), so the second row would vanish silently.
    if (twin !== undefined) problems.add(r.n, h('kind'), 'duplicate', `the same as row ${twin}; it would be recorded only once`);
    seen.set(key, r.n);
    events.push(event);
    sources.push({ rows: [r], lists: { quantityList: [r] } });
  }
  return { events, sources };
}

function objectEvent(r: ParsedRow): Record<string, unknown> {
  const base = { type: 'ObjectEvent', eventTime: r.eventTime, eventTimeZoneOffset: OFFSET, quantityList: [quantityOf(r)] };
  const location = r.location ? { bizLocation: { id: r.location } } : {};
  const gs1Product = r.gs1Lot && r.productCode ? { 'ytb:product': r.productCode } : {};
  const invoice = r.invoiceNo ? { bizTransactionList: [{ type: 'inv', bizTransaction: `urn:ytterby:vat:${r.invoiceNo}` }] } : {};
  switch (r.kind) {
    case 'mining':
      return {
        ...base, action: 'ADD', bizStep: 'commissioning', ...location,
        ilmd: { 'ytb:assay': { treoPercent: r.treoPercent, ...(r.elements ? { elements: r.elements } : {}) }, ...gs1Product },
      };
    case 'import':
      return {
        ...base, action: 'ADD', bizStep: 'commissioning', ...location,
        ...(r.gs1Lot && r.productCode ? { ilmd: gs1Product } : {}), 'ytb:import': { country: r.country, customsDeclarationNo: r.customsNo },
      };
    case 'shipment':
      return { ...base, action: 'OBSERVE', bizStep: 'shipping', ...location, ...invoice, destinationList: [{ type: 'owning_party', destination: r.party }] };
    case 'export':
      return { ...base, action: 'OBSERVE', bizStep: 'shipping', ...location, 'ytb:export': { country: r.country, customsDeclarationNo: r.customsNo } };
    case 'receipt':
      return { ...base, action: 'OBSERVE', bizStep: 'receiving', ...location, ...invoice, sourceList: [{ type: 'owning_party', source: r.party }] };
    default:
      throw new Error(`row kind ${r.kind} is not an ObjectEvent`);
  }
}

function checkTransformation(ref: string, group: ParsedRow[], layout: Layout, problems: Problems, incomplete: boolean): void {
  const h = layout.header;
  const rowsText = group.map((g) => g.n).join(', ');
  const inputs = group.filter((g) => g.kind === 'transformation_input');
  const outputs = group.filter((g) => g.kind === 'transformation_output');
  if (!incomplete && (inputs.length === 0 || outputs.length === 0)) {
    const missing = inputs.length === 0 ? 'input' : 'output';
    for (const g of group) problems.add(g.n, h('transformationRef'), 'required', `transformation ${ref} (rows ${rowsText}) has no ${missing} row`);
  }
  const first = group[0]!;
  for (const g of group.slice(1)) {
    if (g.eventTime !== first.eventTime) problems.add(g.n, h('eventTime'), 'mismatch', `the rows of transformation ${ref} share one date and time; row ${first.n} has ${first.eventTime.slice(0, 16).replace('T', ' ')}`);
  }
  const located = group.filter((g) => g.location);
  for (const g of located.slice(1)) {
    if (g.location !== located[0]!.location) problems.add(g.n, h('location'), 'mismatch', `the rows of transformation ${ref} share one location; row ${located[0]!.n} names another`);
  }
  const inputLots = new Set(inputs.map((i) => i.lot));
  for (const o of outputs) {
    if (inputLots.has(o.lot)) problems.add(o.n, h(o.lotColumn), 'not_allowed', `the lot is also an input of transformation ${ref}; an output is a new lot`);
  }
  const gs1 = outputs.filter((o) => o.gs1Lot);
  // The event's ILMD names one product for its GS1 lots (docs/traceability.md); two cannot be told apart.
  if (new Set(gs1.map((o) => o.productCode)).size > 1) {
    for (const o of gs1.slice(1)) problems.add(o.n, h('productCode'), 'not_allowed', `transformation ${ref} has GS1 output lots of different products; give those outputs lot numbers (Ytterby lots) instead`);
  }
}

// ---------------------------------------------------------------------------------------------
// Capture problems → rows and columns

const EVENT_FIELD = /^(?:epcisBody\.)?eventList\.(\d+)(?:\.(.+))?$/;

/** The capture's error with each problem on event i re-addressed to the row(s) and column that made it. */
export function toRowError(error: AppError, flows: Pick<FlowsDocument, 'sources' | 'header'>): AppError {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const p of error.problems) {
    const m = EVENT_FIELD.exec(p.field);
    const source = m ? flows.sources[Number(m[1])] : undefined;
    if (!source) {
      problems.push(p);
      continue;
    }
    for (const { row, key } of locate(source, m![2] ?? '')) {
      const column = flows.header(key);
      const id = `${row.n}|${column}|${p.rule}|${p.message}`;
      if (seen.has(id)) continue;
      seen.add(id);
      problems.push({ field: `row ${row.n} / ${column}`, rule: p.rule, message: p.message, row: row.n, column });
    }
  }
  return uploadError(error.kind, error.code, problems, error.extra);
}

/** The rows and column behind a JSON path inside event i (`quantityList.0.quantity`, `ytb:export.country`, …). */
function locate(source: EventSource, path: string): { row: ParsedRow; key: ColumnKey }[] {
  const all = (key: ColumnKey | ((r: ParsedRow) => ColumnKey)) => source.rows.map((row) => ({ row, key: typeof key === 'function' ? key(row) : key }));
  const list = /^(quantityList|inputQuantityList|outputQuantityList)(?:\.(\d+)(?:\.(\w+))?)?/.exec(path);
  if (list) {
    const rows = source.lists[list[1] as keyof EventSource['lists']] ?? source.rows;
    const picked = list[2] !== undefined && rows[Number(list[2])] ? [rows[Number(list[2])]!] : rows;
    return picked.map((row) => ({ row, key: list[3] === 'quantity' || list[3] === 'uom' ? 'quantityKg' : row.lotColumn }));
  }
  const head = path.split('.')[0] ?? '';
  if (head === 'eventTime' || head === 'eventTimeZoneOffset') return all('eventTime');
  if (head === 'bizLocation' || head === 'readPoint') return all('location');
  if (head === 'destinationList' || head === 'sourceList') return all('counterparty');
  if (head === 'bizTransactionList') return all('invoiceNo');
  if (head === 'ytb:import' || head === 'ytb:export') return all(path.includes('customsDeclarationNo') ? 'customsNo' : 'country');
  if (head === 'ilmd') {
    if (path.includes('elements')) return all('elementSplit');
    if (path.includes('ytb:assay')) return all('treoPercent');
    return all('productCode');
  }
  return all((r) => (r.ref !== null ? 'transformationRef' : 'kind'));
}
