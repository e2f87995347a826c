/**
 * A signed implementation report as a workbook (XLSX) for officials who reconcile offline: the
 * report sheet has the same sections as the PDF with figures as numbers (tonnes to six places,
 * kilograms to three: Excel's doubles hold grams of amounts this size exactly), and a seal sheet
 * says who signed what and how to verify it. The workbook itself is not the signed document:
 * the seal sheet points to the published key and the verifier.
 */
import ExcelJS from 'exceljs';
import type { ReportContent } from '../../domain/reports/content.ts';
import { MASS_FIELDS } from '../../domain/reports/content.ts';
import type { SignedReport } from '../../domain/reports/seal.ts';
import {
  INDICATOR_LABELS, LEVEL_LABELS, LISTED_REASON_LABELS, REPORT_LABELS, kilograms, levelLabel, periodLabel, reportTitle, subjectName, tonnes,
  type ReportLanguage,
} from './report.labels.ts';

const TONNES = '#,##0.000000';
const KG = '#,##0.000';
const PERCENT = '0.00';
const INTEGER = '0';
const COLUMNS = 9;

type Cell = string | number | null;
/** A column's number format, or undefined for text. */
type Formats = (string | undefined)[];

const t = (grams: string): number => Number(tonnes(grams));
const kg = (grams: string): number => Number(kilograms(grams));

function heading(sheet: ExcelJS.Worksheet, text: string): void {
  sheet.addRow([]);
  const row = sheet.addRow([text]);
  row.font = { bold: true, size: 12 };
}

function table(sheet: ExcelJS.Worksheet, headers: string[], rows: Cell[][], formats: Formats): void {
  const head = sheet.addRow(headers);
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: 'middle' };
  head.eachCell((cell) => { cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8ECF2' } }; });
  for (const values of rows) {
    const row = sheet.addRow(values);
    formats.forEach((fmt, i) => { if (fmt) row.getCell(i + 1).numFmt = fmt; });
    row.alignment = { wrapText: true, vertical: 'top' };
  }
}

function noneRow(sheet: ExcelJS.Worksheet, lang: ReportLanguage): void {
  sheet.addRow([REPORT_LABELS[lang].none]).font = { italic: true, color: { argb: 'FF666666' } };
}

function subjectRows(doc: SignedReport, lang: ReportLanguage): [string, Cell][] {
  const l = REPORT_LABELS[lang];
  const s = doc.content.subject;
  return [
    [l.subject.name, subjectName(s, lang)],
    s.creditCode ? [l.subject.creditCode, s.creditCode] : [l.subject.divisionCode, s.divisionCode ?? 'CN'],
    [l.subject.level, LEVEL_LABELS[lang][s.level]],
    [l.subject.period, periodLabel(doc.content.period, lang)],
    ...(s.level === 'enterprise' ? [] : [[l.subject.enterpriseReports, doc.content.enterpriseReports] as [string, Cell]]),
  ];
}

function indicatorSection(sheet: ExcelJS.Worksheet, content: ReportContent, lang: ReportLanguage): void {
  const l = REPORT_LABELS[lang];
  const c = l.indicatorColumns;
  heading(sheet, l.sections.indicators);
  if (content.lines.length === 0) return noneRow(sheet, lang);
  table(sheet, [c.indicator, c.allocated, c.period, c.yearToDate, c.remaining, c.utilisation, c.thresholds, c.flows, c.explanation],
    content.lines.map((line) => [
      INDICATOR_LABELS[lang][line.indicator], t(line.allocatedReoGrams), t(line.periodReoGrams), t(line.yearToDateReoGrams),
      t(line.remainingReoGrams), line.utilisationPercent === null ? null : Number(line.utilisationPercent),
      line.thresholdsCrossed.join(', '), t(line.flowReoGrams), line.explanation,
    ]),
    [undefined, TONNES, TONNES, TONNES, TONNES, PERCENT, undefined, TONNES, undefined]);
}

function massSection(sheet: ExcelJS.Worksheet, content: ReportContent, lang: ReportLanguage): void {
  const l = REPORT_LABELS[lang];
  const c = l.massColumns;
  heading(sheet, l.sections.massBalance);
  if (content.massBalance.length === 0) return noneRow(sheet, lang);
  // One row a product and basis, not merged cells: the sheet stays sortable and filterable.
  const name = (zh: string, en: string): string => (lang === 'en' ? en || zh : zh);
  table(sheet, [c.product, c.code, c.basis, ...MASS_FIELDS.map((f) => c[f])],
    content.massBalance.flatMap((line) => [
      [name(line.productNameZh, line.productNameEn), line.productCode, l.massBasis.product, ...MASS_FIELDS.map((f) => kg(line[`${f}Grams`]))],
      [name(line.productNameZh, line.productNameEn), line.productCode, l.massBasis.reo, ...MASS_FIELDS.map((f) => kg(line[`${f}ReoGrams`]))],
    ]),
    [undefined, undefined, undefined, ...MASS_FIELDS.map(() => KG)]);
}

function closingSection(sheet: ExcelJS.Worksheet, content: ReportContent, lang: ReportLanguage): void {
  const l = REPORT_LABELS[lang];
  const c = l.closingColumns;
  const s = content.closing;
  heading(sheet, l.sections.closing);
  table(sheet, [c.months, c.closed, c.late, c.missing, c.open], [[s.months, s.closed, s.late, s.missing, s.open]], Array(5).fill(INTEGER));
}

function compilationSections(sheet: ExcelJS.Worksheet, content: ReportContent, lang: ReportLanguage): void {
  const l = REPORT_LABELS[lang];
  const c = l.constituentColumns;
  heading(sheet, l.sections.constituents);
  if (content.constituents.length === 0) noneRow(sheet, lang);
  else table(sheet, [c.unit, c.level, c.key, c.reportId, c.version, c.submittedAt, c.late, c.contentHash],
    content.constituents.map((u) => [subjectName(u, lang), LEVEL_LABELS[lang][u.level], u.key, u.reportId, u.version, u.submittedAt, u.late ? l.yes : l.no, u.contentHash]),
    [undefined, undefined, undefined, undefined, INTEGER]);
  const lc = l.listedColumns;
  heading(sheet, l.sections.listed);
  if (content.listed.length === 0) noneRow(sheet, lang);
  else table(sheet, [lc.unit, lc.level, lc.key, lc.reason, lc.via],
    content.listed.map((u) => [subjectName(u, lang), LEVEL_LABELS[lang][u.level], u.key, LISTED_REASON_LABELS[lang][u.reason], u.viaKey]), []);
  const ec = l.explanationColumns;
  heading(sheet, l.sections.explanations);
  if (content.explanations.length === 0) noneRow(sheet, lang);
  else table(sheet, [ec.unit, ec.level, ec.key, ec.indicator, ec.text],
    content.explanations.map((e) => [e.nameZh, LEVEL_LABELS[lang][e.level], e.key, e.indicator ? INDICATOR_LABELS[lang][e.indicator] : null, e.text]), []);
}

function reportSheet(workbook: ExcelJS.Workbook, doc: SignedReport, lang: ReportLanguage): void {
  const l = REPORT_LABELS[lang];
  const { content } = doc;
  const sheet = workbook.addWorksheet(l.sheetReport, { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const title = sheet.addRow([reportTitle(content, lang)]);
  title.font = { bold: true, size: 14 };
  sheet.mergeCells(1, 1, 1, COLUMNS);
  const s = content.subject;
  sheet.addRow([`${subjectName(s, lang)}　${s.creditCode ?? s.divisionCode ?? 'CN'}　${periodLabel(content.period, lang)}`]).font = { bold: true };
  sheet.mergeCells(2, 1, 2, COLUMNS);
  // Title and subject stay in view while scrolling through long compilations.
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  for (const [k, v] of subjectRows(doc, lang)) sheet.addRow([k, v]).getCell(1).font = { color: { argb: 'FF555555' } };
  indicatorSection(sheet, content, lang);
  massSection(sheet, content, lang);
  closingSection(sheet, content, lang);
  if (s.level !== 'enterprise') compilationSections(sheet, content, lang);
  if (content.remarks) {
    heading(sheet, l.sections.remarks);
    sheet.addRow([content.remarks]).alignment = { wrapText: true, vertical: 'top' };
  }
  sheet.getColumn(1).width = 34;
  for (let col = 2; col < COLUMNS; col++) sheet.getColumn(col).width = 18;
  sheet.getColumn(COLUMNS).width = 60;
}

function sealSheet(workbook: ExcelJS.Workbook, doc: SignedReport, lang: ReportLanguage): void {
  const l = REPORT_LABELS[lang];
  const s = doc.seal;
  const sheet = workbook.addWorksheet(l.sheetSeal);
  sheet.addRow([l.seal.heading]).font = { bold: true, size: 14 };
  const rows: [string, Cell][] = [
    [l.seal.reportId, s.reportId], [l.seal.version, s.version], [l.seal.replaces, s.replacesReportId],
    [l.seal.period, s.period], [l.seal.level, levelLabel(s.level, lang)], [l.seal.subjectKey, s.subjectKey],
    [l.seal.submittedBy, `${s.submittedByName} (${s.submittedBy})`], [l.seal.submittedAt, s.submittedAt],
    [l.seal.keyId, s.keyId], [l.seal.contentHash, s.contentHash], [l.seal.signature, doc.signature],
  ];
  for (const [k, v] of rows) {
    const row = sheet.addRow([k, v]);
    row.getCell(1).font = { bold: true };
    row.getCell(2).alignment = { wrapText: true };
  }
  sheet.addRow([]);
  sheet.addRow([l.verifyHint]).alignment = { wrapText: true };
  sheet.mergeCells(sheet.rowCount, 1, sheet.rowCount, 2);
  sheet.getColumn(1).width = 26;
  sheet.getColumn(2).width = 100;
}

export async function renderReportXlsx(doc: SignedReport, lang: ReportLanguage): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Ytterby';
  workbook.title = reportTitle(doc.content, lang);
  workbook.keywords = doc.seal.contentHash;
  reportSheet(workbook, doc, lang);
  sealSheet(workbook, doc, lang);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
