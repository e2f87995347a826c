/**
 * A signed implementation report as a PDF (A4 landscape, pdfmake 0.3 on the server) for filing
 * and printing. The signed document itself travels inside the PDF as the attachment
 * `report.signed.json`, so a downloaded PDF alone can be checked against the published key;
 * `signedReportFromPdf` takes it back out.
 *
 * Chinese needs a CJK font: Noto Sans SC from the npm package @expo-google-fonts/noto-sans-sc,
 * so that a fresh `npm install` is enough; pdfkit embeds only the glyphs used (a subset).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import pdfmake from 'pdfmake';
import type { Content, CustomTableLayout, TableCell } from 'pdfmake';
import type { IndicatorLine, MassBalanceLine, ReportContent } from '../../domain/reports/content.ts';
import { MASS_FIELDS } from '../../domain/reports/content.ts';
import type { SignedReport } from '../../domain/reports/seal.ts';
import {
  INDICATOR_LABELS, LEVEL_LABELS, LISTED_REASON_LABELS, REPORT_LABELS, kilograms, levelLabel, periodLabel, reportTitle, statusLabel, subjectName, tonnes,
  type ReportLabels, type ReportLanguage,
} from './report.labels.ts';

export const SIGNED_ATTACHMENT_NAME = 'report.signed.json';

/** @types/pdfmake exports the document definition's type only through createPdf's signature. */
type TDocumentDefinitions = Parameters<typeof pdfmake.createPdf>[0];

export interface ReportPdfExtra { status?: string; dueDate?: string | null; late?: boolean }

const FONT = 'NotoSansSC';
const FONT_FILES = {
  'NotoSansSC-Regular.ttf': '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  'NotoSansSC-Bold.ttf': '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const;

/** pdfmake's in-memory file system; @types/pdfmake declares it for the browser build only, the Node build has it too. */
interface PdfmakeVirtualFs { existsSync(name: string): boolean; writeFileSync(name: string, content: Buffer): void }

let fontsLoaded: Promise<void> | null = null;

/**
 * Reads the two TTFs (about 10 MB each) once per process into pdfmake's virtual file system;
 * fontkit then parses them from memory for each document (tens of milliseconds).
 */
function loadFonts(): Promise<void> {
  fontsLoaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const vfs = (pdfmake as unknown as { virtualfs: PdfmakeVirtualFs }).virtualfs;
    for (const [name, module] of Object.entries(FONT_FILES)) {
      if (!vfs.existsSync(name)) vfs.writeFileSync(name, await readFile(require.resolve(module)));
    }
    pdfmake.addFonts({ [FONT]: { normal: 'NotoSansSC-Regular.ttf', bold: 'NotoSansSC-Bold.ttf' } });
    // Reports carry only our own text: nothing is fetched or read from disk while rendering.
    pdfmake.setUrlAccessPolicy(() => false);
    pdfmake.setLocalAccessPolicy(() => false);
  })().catch((error: unknown) => {
    fontsLoaded = null;
    throw error;
  });
  return fontsLoaded;
}

const GRID: CustomTableLayout = {
  hLineWidth: () => 0.5, vLineWidth: () => 0.5, hLineColor: () => '#8a8f98', vLineColor: () => '#8a8f98',
  paddingLeft: () => 3, paddingRight: () => 3, paddingTop: () => 1.5, paddingBottom: () => 1.5,
};

/** pdfmake draws the top rule over the cells a colSpan covers whatever their borders say: a title row needs it off by index. */
const TITLED_GRID: CustomTableLayout = { ...GRID, hLineWidth: (i) => (i === 0 ? 0 : 0.5) };

const num = (text: string): TableCell => ({ text, alignment: 'right', color: text.startsWith('-') ? '#b00020' : undefined });
/** Identifiers, hashes and signatures have no break opportunities: let them wrap anywhere. */
const code = (text: string): TableCell => ({ text, style: 'code' });

/**
 * A titled table. The title is the first header row (borderless), so it repeats on every page
 * the table runs over and never stays alone at the foot of a page; keepWithHeaderRows keeps the
 * headers with at least one row of figures.
 */
function titledTable(title: string, widths: (number | string)[], headers: string[], rows: TableCell[][]): Content {
  const titleRow: TableCell[] = widths.map((_, i) => (i === 0
    ? { text: title, style: 'h2', margin: [-3, 8, 0, 1], colSpan: widths.length, border: [false, false, false, false] }
    : ''));
  return {
    table: {
      headerRows: 2, keepWithHeaderRows: 1, dontBreakRows: true, widths,
      body: [titleRow, headers.map((h) => ({ text: h, style: 'th' })), ...rows],
    },
    layout: TITLED_GRID, style: 'table',
  };
}

const section = (title: string): Content => ({ text: title, style: 'h2' });
/** A heading with a short text (an empty section, the remarks), kept on one page. */
const titledText = (title: string, text: string, style?: string): Content => ({ unbreakable: true, stack: [section(title), { text, style }] });
const none = (title: string, l: ReportLabels): Content => titledText(title, l.none, 'muted');

function headerBlock(doc: SignedReport, lang: ReportLanguage, extra: ReportPdfExtra): Content[] {
  const l = REPORT_LABELS[lang];
  const { subject } = doc.content;
  const pairs: [string, string][] = [
    [l.subject.name, subjectName(subject, lang)],
    subject.creditCode ? [l.subject.creditCode, subject.creditCode] : [l.subject.divisionCode, subject.divisionCode ?? 'CN'],
    [l.subject.level, LEVEL_LABELS[lang][subject.level]],
    [l.subject.period, periodLabel(doc.content.period, lang)],
  ];
  if (subject.level !== 'enterprise') pairs.push([l.subject.enterpriseReports, String(doc.content.enterpriseReports)]);
  if (extra.status) pairs.push([l.subject.status, statusLabel(extra.status, lang)]);
  if (extra.dueDate) pairs.push([l.subject.dueDate, extra.dueDate]);
  if (extra.late !== undefined) pairs.push([l.subject.late, extra.late ? l.yes : l.no]);
  return [
    { text: reportTitle(doc.content, lang), style: 'title' },
    {
      columns: [0, 1].map((half) => ({
        width: '*',
        text: pairs.filter((_, i) => i % 2 === half).flatMap(([k, v]) => [{ text: `${k}${l.colon}`, color: '#555' }, `${v}\n`]),
      })),
      columnGap: 16, margin: [0, 0, 0, 4],
    },
  ];
}

function indicatorRow(line: IndicatorLine, lang: ReportLanguage): TableCell[] {
  return [
    INDICATOR_LABELS[lang][line.indicator], num(tonnes(line.allocatedReoGrams)), num(tonnes(line.periodReoGrams)),
    num(tonnes(line.yearToDateReoGrams)), num(tonnes(line.remainingReoGrams)), num(line.utilisationPercent ?? '—'),
    num(line.thresholdsCrossed.join(lang === 'en' ? ', ' : '、')), num(tonnes(line.flowReoGrams)), line.explanation ?? '',
  ];
}

function indicatorTable(content: ReportContent, lang: ReportLanguage): Content {
  const l = REPORT_LABELS[lang];
  if (content.lines.length === 0) return none(l.sections.indicators, l);
  const c = l.indicatorColumns;
  return titledTable(l.sections.indicators, [92, 62, 62, 62, 62, 42, 46, 62, '*'],
    [c.indicator, c.allocated, c.period, c.yearToDate, c.remaining, c.utilisation, c.thresholds, c.flows, c.explanation],
    content.lines.map((line) => indicatorRow(line, lang)));
}

/** Two rows a product: its own mass, then the REO it contains. */
function massRows(line: MassBalanceLine, lang: ReportLanguage): TableCell[][] {
  const l = REPORT_LABELS[lang];
  const name = lang === 'en' ? line.productNameEn || line.productNameZh : line.productNameZh;
  return [
    [{ text: `${name}\n${line.productCode}`, rowSpan: 2 }, l.massBasis.product, ...MASS_FIELDS.map((f) => num(kilograms(line[`${f}Grams`])))],
    ['', l.massBasis.reo, ...MASS_FIELDS.map((f) => num(kilograms(line[`${f}ReoGrams`])))],
  ];
}

function massTable(content: ReportContent, lang: ReportLanguage): Content {
  const l = REPORT_LABELS[lang];
  if (content.massBalance.length === 0) return none(l.sections.massBalance, l);
  const c = l.massColumns;
  return titledTable(l.sections.massBalance, ['*', 64, 72, 72, 72, 72, 72, 72],
    [c.product, c.basis, c.opening, c.receipts, c.production, c.use, c.shipments, c.closing],
    content.massBalance.flatMap((line) => massRows(line, lang)));
}

function closingTable(content: ReportContent, lang: ReportLanguage): Content {
  const l = REPORT_LABELS[lang];
  const c = l.closingColumns;
  const s = content.closing;
  return titledTable(l.sections.closing, [90, 90, 90, 90, 90], [c.months, c.closed, c.late, c.missing, c.open],
    [[s.months, s.closed, s.late, s.missing, s.open].map((n) => num(String(n)))]);
}

function compilationSections(content: ReportContent, lang: ReportLanguage): Content[] {
  const l = REPORT_LABELS[lang];
  const c = l.constituentColumns;
  const lc = l.listedColumns;
  const ec = l.explanationColumns;
  return [
    content.constituents.length === 0 ? none(l.sections.constituents, l) : titledTable(l.sections.constituents, ['*', 40, 86, 152, 28, 100, 26, 180],
      [c.unit, c.level, c.key, c.reportId, c.version, c.submittedAt, c.late, c.contentHash],
      content.constituents.map((u) => [subjectName(u, lang), LEVEL_LABELS[lang][u.level], code(u.key), code(u.reportId),
        num(String(u.version)), code(u.submittedAt), u.late ? l.yes : l.no, code(u.contentHash)])),
    content.listed.length === 0 ? none(l.sections.listed, l) : titledTable(l.sections.listed, ['*', 60, 90, 70, 90], [lc.unit, lc.level, lc.key, lc.reason, lc.via],
      content.listed.map((u) => [subjectName(u, lang), LEVEL_LABELS[lang][u.level], code(u.key), LISTED_REASON_LABELS[lang][u.reason], code(u.viaKey ?? '')])),
    content.explanations.length === 0 ? none(l.sections.explanations, l) : titledTable(l.sections.explanations, [150, 50, 90, 110, '*'], [ec.unit, ec.level, ec.key, ec.indicator, ec.text],
      content.explanations.map((e) => [e.nameZh, LEVEL_LABELS[lang][e.level], code(e.key), e.indicator ? INDICATOR_LABELS[lang][e.indicator] : '', e.text])),
  ];
}

function sealBlock(doc: SignedReport, lang: ReportLanguage): Content {
  const l = REPORT_LABELS[lang];
  const s = doc.seal;
  const rows: [string, string][] = [
    [l.seal.reportId, s.reportId], [l.seal.version, String(s.version)], [l.seal.replaces, s.replacesReportId ?? '—'],
    [l.seal.period, s.period], [l.seal.level, levelLabel(s.level, lang)], [l.seal.subjectKey, s.subjectKey],
    [l.seal.submittedBy, `${s.submittedByName} (${s.submittedBy})`], [l.seal.submittedAt, s.submittedAt],
    [l.seal.keyId, s.keyId], [l.seal.contentHash, s.contentHash], [l.seal.signature, doc.signature],
  ];
  return {
    unbreakable: true,
    stack: [
      section(l.seal.heading),
      {
        table: { widths: [120, '*'], body: rows.map(([k, v]) => [{ text: k, style: 'th' }, code(v)]) },
        layout: GRID, style: 'table',
      },
      { text: l.attachedHint, style: 'muted', margin: [0, 4, 0, 0] },
      { text: l.verifyHint, style: 'muted' },
    ],
  };
}

function documentDefinition(doc: SignedReport, lang: ReportLanguage, extra: ReportPdfExtra): TDocumentDefinitions {
  const l = REPORT_LABELS[lang];
  const { content } = doc;
  const title = reportTitle(content, lang);
  const body: Content[] = [
    ...headerBlock(doc, lang, extra),
    indicatorTable(content, lang),
    massTable(content, lang),
    closingTable(content, lang),
    ...(content.subject.level === 'enterprise' ? [] : compilationSections(content, lang)),
    ...(content.remarks ? [titledText(l.sections.remarks, content.remarks)] : []),
    sealBlock(doc, lang),
  ];
  return {
    pageSize: 'A4', pageOrientation: 'landscape', pageMargins: [32, 32, 32, 36],
    language: lang,
    info: { title, author: doc.seal.submittedByName, subject: `${subjectName(content.subject, lang)} ${content.period}`, keywords: doc.seal.contentHash, creator: 'Ytterby' },
    content: body,
    footer: (current: number, count: number) => ({
      columns: [
        { text: `${title} · ${periodLabel(content.period, lang)} · ${doc.seal.reportId} v${doc.seal.version}`, style: 'muted' },
        { text: l.page(current, count), style: 'muted', alignment: 'right', width: 100 },
      ],
      margin: [32, 10, 32, 0],
    }),
    files: {
      [SIGNED_ATTACHMENT_NAME]: {
        name: SIGNED_ATTACHMENT_NAME, description: l.attachmentDescription,
        // A data URL: pdfmake would try to resolve a Buffer as a URL, and a path would need disk access.
        src: `data:application/json;base64,${Buffer.from(JSON.stringify(doc), 'utf8').toString('base64')}`,
      },
    },
    defaultStyle: { font: FONT, fontSize: 8.5, lineHeight: 1.15 },
    styles: {
      title: { fontSize: 15, bold: true, alignment: 'center', margin: [0, 0, 0, 8] },
      h2: { fontSize: 10, bold: true, margin: [0, 9, 0, 3] },
      table: { fontSize: 8 },
      th: { bold: true, fillColor: '#e8ecf2' },
      code: { fontSize: 7.5, wordBreak: 'break-all' },
      muted: { fontSize: 7, color: '#555' },
    },
  };
}

/** Renders the report; the signed document is embedded as `report.signed.json`. */
export async function renderReportPdf(doc: SignedReport, lang: ReportLanguage, extra: ReportPdfExtra = {}): Promise<Buffer> {
  await loadFonts();
  return pdfmake.createPdf(documentDefinition(doc, lang, extra)).getBuffer();
}

/* ------------------------------------------------------------------------------------------ *
 * Reading the attachment back. pdfkit writes plain (not compressed) object syntax without
 * object streams, and each embedded file as a FlateDecode stream with a direct /Length, so a
 * small scanner over the bytes suffices for the PDFs we produce. Anything else gives null.
 * ------------------------------------------------------------------------------------------ */

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The dictionary text and stream bytes of indirect object `n g`, or null. */
function streamObject(pdf: Buffer, text: string, n: string, g: string): { dict: string; data: Buffer } | null {
  const start = new RegExp(`(?:^|[\\s>])${n}\\s+${g}\\s+obj\\b`).exec(text);
  if (!start) return null;
  const streamAt = text.indexOf('stream', start.index);
  const endObj = text.indexOf('endobj', start.index);
  if (streamAt < 0 || (endObj >= 0 && endObj < streamAt)) return null;
  const dict = text.slice(start.index, streamAt);
  let from = streamAt + 'stream'.length;
  if (text[from] === '\r') from++;
  if (text[from] === '\n') from++;
  const length = /\/Length\s+(\d+)(?!\d)(?!\s+\d+\s+R)/.exec(dict);
  const to = length ? from + Number(length[1]) : text.indexOf('endstream', from);
  if (to < from || to > pdf.length) return null;
  return { dict, data: pdf.subarray(from, to) };
}

/** Stream bytes of the embedded files named `name` first, then of every embedded file. */
function* embeddedFileStreams(pdf: Buffer, name: string): Generator<Buffer> {
  const text = pdf.toString('latin1');
  const refs: [string, string][] = [];
  const byName = new RegExp(`/(?:UF|F)\\s*\\(${escapeRegExp(name)}\\)`, 'g');
  for (let m = byName.exec(text); m; m = byName.exec(text)) {
    const objStart = text.lastIndexOf(' obj', m.index);
    const objEnd = text.indexOf('endobj', m.index);
    const ef = /\/EF\s*<<\s*\/F\s+(\d+)\s+(\d+)\s+R/.exec(text.slice(objStart, objEnd < 0 ? undefined : objEnd));
    if (ef?.[1] && ef[2]) refs.push([ef[1], ef[2]]);
  }
  const anyFile = /(\d+)\s+(\d+)\s+obj\s*<<(?:(?!endobj)[\s\S])*?\/Type\s*\/EmbeddedFile\b/g;
  for (let m = anyFile.exec(text); m; m = anyFile.exec(text)) if (m[1] && m[2]) refs.push([m[1], m[2]]);
  for (const [n, g] of refs) {
    const obj = streamObject(pdf, text, n, g);
    if (!obj) continue;
    try {
      yield /\/FlateDecode/.test(obj.dict) ? inflateSync(obj.data) : obj.data;
    } catch {
      // a damaged stream: try the next candidate
    }
  }
}

function asSignedReport(bytes: Buffer): SignedReport | null {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as Partial<SignedReport> | null;
    return value && typeof value === 'object' && value.seal && typeof value.signature === 'string' && value.content
      ? value as SignedReport : null;
  } catch {
    return null;
  }
}

/**
 * The signed report embedded in a PDF rendered by `renderReportPdf`, or null; check it with
 * `verifySignedReport`: the PDF's printed figures are only as good as this document.
 */
export function signedReportFromPdf(pdf: Buffer): SignedReport | null {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') return null;
  for (const bytes of embeddedFileStreams(pdf, SIGNED_ATTACHMENT_NAME)) {
    const doc = asSignedReport(bytes);
    if (doc) return doc;
  }
  return null;
}
