/**
 * Deliveries as files, for departments without an integration: CSV (UTF-8 or GB18030), XLSX
 * (first sheet) or JSON. Row 1 names the fields (the API's field names); one row per record, and
 * for licences one row per item, the rows of one licence sharing its licence number. Errors are
 * the API's (`records.{i}.{field}`) with the sheet row and column added.
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { AppError, type FieldProblem } from '../shared/errors.ts';
import type { Kind } from './exchange.records.ts';
import { zipSizeProblem } from '../shared/zip-guard.ts';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAX_ROWS = 20_000;
const ITEM_FIELDS = ['element', 'productCode', 'quantity', 'unit'];

export interface FileRecords {
  records: unknown[];
  /** Adds the row and column where each problem's field came from. */
  locate(problems: FieldProblem[]): FieldProblem[];
}

function unreadable(message: string): AppError {
  return new AppError('validation', 'exchange.file_unreadable', message, [{ field: 'file', rule: 'readable', message }]);
}

function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes); // Chinese Excel saves CSV this way
  }
}

export async function readFile(kind: Kind, contentType: 'csv' | 'xlsx', bytes: Buffer): Promise<FileRecords> {
  const table = contentType === 'csv' ? readCsv(bytes) : await readXlsx(bytes);
  if (table.length < 2) throw unreadable('the file has a header row and at least one row of records');
  if (table.length - 1 > MAX_ROWS) throw unreadable(`at most ${MAX_ROWS} rows per file; split the delivery`);
  const header = table[0]!.map((h) => h.trim());
  const rows = table.slice(1).map((cells, k) => ({ n: k + 2, cells }))
    .filter((r) => r.cells.some((c) => c.trim() !== ''));
  const valueOf = (cells: string[], name: string) => {
    const col = header.indexOf(name);
    const v = col >= 0 ? (cells[col] ?? '').trim() : '';
    return v === '' ? undefined : v;
  };
  const objectOf = (cells: string[], skip: string[] = []) =>
    Object.fromEntries(header.filter((h) => h && !skip.includes(h)).map((h) => [h, valueOf(cells, h)]));
  // Which sheet rows each record (and, for licences, each item) came from.
  const sources: number[][] = [];
  const records: unknown[] = [];
  if (kind === 'licences') {
    const byNo = new Map<string, number>();
    for (const row of rows) {
      const no = valueOf(row.cells, 'licenceNo') ?? `#row${row.n}`;
      let i = byNo.get(no);
      if (i === undefined) {
        i = records.length;
        byNo.set(no, i);
        records.push({ ...objectOf(row.cells, ITEM_FIELDS), items: [] });
        sources.push([]);
      }
      (records[i] as { items: unknown[] }).items.push(Object.fromEntries(ITEM_FIELDS.map((f) => [f, valueOf(row.cells, f)])));
      sources[i]!.push(row.n);
    }
  } else {
    for (const row of rows) {
      records.push(objectOf(row.cells));
      sources.push([row.n]);
    }
  }
  return {
    records,
    locate: (problems) => problems.map((p) => {
      const m = /^records\.(\d+)(?:\.items\.(\d+))?(?:\.(\w+))?/.exec(p.field);
      if (!m) return p;
      const rowsOf = sources[Number(m[1])] ?? [];
      const row = m[2] !== undefined ? rowsOf[Number(m[2])] : rowsOf[0];
      const column = m[3] && header.includes(m[3]) ? m[3] : m[3] ?? header[0];
      return { ...p, ...(row !== undefined ? { row } : {}), ...(column ? { column } : {}) };
    }),
  };
}

function readCsv(bytes: Buffer): string[][] {
  try {
    return parse(decode(bytes), { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw unreadable(`the file is not CSV: ${(error as Error).message}`);
  }
}

function checkZipSize(buffer: Buffer): void {
  const problem = zipSizeProblem(buffer);
  if (problem) throw unreadable(problem);
}

async function readXlsx(bytes: Buffer): Promise<string[][]> {
  checkZipSize(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw unreadable(`the file is not an XLSX workbook: ${(error as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw unreadable('the workbook has no sheet');
  const table: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) cells.push(cellText(row.getCell(c).value));
    table[n - 1] = cells;
  });
  for (let i = 0; i < table.length; i++) table[i] ??= [];
  return table;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    return '';
  }
  return String(value);
}
