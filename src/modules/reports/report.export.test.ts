/**
 * The PDF and XLSX exports of signed reports, without a database: an enterprise's monthly report
 * and its county's compilation, signed with a fresh Ed25519 key. The PDF's text is read back with
 * pdfjs-dist (what a reader sees), the embedded signed document is verified, and the workbook is
 * read back with exceljs.
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import ExcelJS from 'exceljs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, indicatorLine, REPORT_SCHEMA, type MassBalanceLine, type ReportContent } from '../../domain/reports/content.ts';
import { contentHash, signSeal, verifySignedReport, type Seal, type SignedReport } from '../../domain/reports/seal.ts';
import { renderReportPdf, signedReportFromPdf } from './report.pdf.ts';
import { renderReportXlsx } from './report.xlsx.ts';

const T = 1_000_000n; // grams per tonne
const KG = 1_000n;
const KEY_ID = 'report-key-2026-1';
const THRESHOLDS = [80, 90, 100];

const ENTERPRISE_ID = '0190a6c2-5a1e-7d3c-9b8e-2f4a6c8e0a11';
const CREDIT_CODE = '91360702MA35G8XK2Q';

function massLine(code: string, zh: string, en: string, reoShare: bigint, kg: Record<'opening' | 'receipts' | 'production' | 'use' | 'shipments', bigint>): MassBalanceLine {
  const closing = kg.opening + kg.receipts + kg.production - kg.use - kg.shipments;
  const all = { ...kg, closing };
  const line: Record<string, string> = { productCode: code, productNameZh: zh, productNameEn: en };
  for (const [field, value] of Object.entries(all)) {
    line[`${field}Grams`] = String(value * KG);
    line[`${field}ReoGrams`] = String((value * KG * reoShare) / 100n);
  }
  return line as MassBalanceLine;
}

function enterpriseContent(): ReportContent {
  return {
    schema: REPORT_SCHEMA,
    period: '2026-10',
    subject: {
      level: 'enterprise', enterpriseId: ENTERPRISE_ID, creditCode: CREDIT_CODE, divisionCode: '360702',
      nameZh: '赣州章贡稀土矿业有限公司', nameEn: 'Ganzhou Zhanggong Rare Earth Mining Co., Ltd.',
    },
    lines: [
      indicatorLine({ indicator: 'mining_ion_adsorption', allocated: 1200n * T, period: 112_500_000n, yearToDateBefore: 980n * T, flow: 108_200_000n },
        THRESHOLDS, '10月份下游需求增加，产量较上月增长，累计使用率越过90%预警线；流向核算少4.3吨系月末在途物料，已于11月初入库。'),
      indicatorLine({ indicator: 'smelting_separation', allocated: 3000n * T, period: 240_250_000n, yearToDateBefore: 2100n * T, flow: 240_250_000n },
        THRESHOLDS, '按年度计划组织冶炼分离生产，无异常。'),
    ],
    massBalance: [
      massLine('RE-MIX-CO3', '混合碳酸稀土', 'Mixed rare earth carbonate', 45n, { opening: 12_000n, receipts: 0n, production: 250_000n, use: 230_000n, shipments: 15_000n }),
      massLine('RE-PRND-OX', '氧化镨钕', 'Praseodymium-neodymium oxide', 99n, { opening: 3_500n, receipts: 0n, production: 48_000n, use: 0n, shipments: 45_250n }),
    ],
    closing: { months: 10, closed: 9, late: 1, missing: 0, open: 0 },
    remarks: '本月完成环保设施检修一次。',
    enterpriseReports: 1,
    constituents: [],
    listed: [],
    explanations: [],
  };
}

function seal(content: ReportContent, subjectKey: string, submittedAt: string): Seal {
  return {
    reportId: randomUUID(), version: 1, replacesReportId: null, period: content.period, level: content.subject.level, subjectKey,
    contentHash: contentHash(content), submittedBy: randomUUID(), submittedByName: '张伟', submittedAt, keyId: KEY_ID, algorithm: 'Ed25519',
  };
}

function signed(content: ReportContent, subjectKey: string, submittedAt: string, privateKey: KeyObject): SignedReport {
  const s = seal(content, subjectKey, submittedAt);
  return { seal: s, signature: signSeal(s, privateKey), content };
}

function countyCompilation(enterprise: SignedReport, privateKey: KeyObject): SignedReport {
  const content = compile({
    period: '2026-10',
    subject: { level: 'county', enterpriseId: null, creditCode: null, divisionCode: '360702', nameZh: '赣州市章贡区', nameEn: 'Zhanggong District, Ganzhou' },
    included: [{
      content: enterprise.content,
      constituent: {
        reportId: enterprise.seal.reportId, version: 1, level: 'enterprise', key: CREDIT_CODE,
        nameZh: enterprise.content.subject.nameZh, nameEn: enterprise.content.subject.nameEn,
        contentHash: enterprise.seal.contentHash, submittedAt: enterprise.seal.submittedAt, late: false,
      },
    }],
    listed: [{ level: 'enterprise', key: '91360702MA38K2LP5W', nameZh: '赣州虔东稀土冶炼厂', nameEn: 'Ganzhou Qiandong Rare Earth Smelter', reason: 'missing', viaKey: null }],
    remarks: '一家企业未按期报送，已电话催报。',
  });
  return signed(content, '360702', '2026-11-12T01:00:00.000Z', privateKey);
}

/** The text a reader sees, without the layout's whitespace (pdfjs splits runs where pdfmake placed words). */
async function pdfText(pdf: Buffer): Promise<string> {
  const document = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const parts: string[] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const page = await document.getPage(n);
    const text = await page.getTextContent();
    for (const item of text.items) if ('str' in item) parts.push(item.str);
  }
  await document.destroy();
  return squash(parts.join(''));
}

const squash = (s: string): string => s.replace(/\s+/g, '');

describe('report exports', () => {
  let keys: Map<string, KeyObject>;
  let enterprise: SignedReport;
  let county: SignedReport;
  let zhPdf: Buffer;

  beforeAll(async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    keys = new Map([[KEY_ID, publicKey]]);
    enterprise = signed(enterpriseContent(), ENTERPRISE_ID, '2026-11-05T02:30:00.000Z', privateKey);
    county = countyCompilation(enterprise, privateKey);
    zhPdf = await renderReportPdf(enterprise, 'zh-CN', { status: 'submitted', dueDate: '2026-11-10', late: false });
  });

  it('renders a Chinese PDF whose text carries the title, the enterprise and the figures as displayed', async () => {
    expect(zhPdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(zhPdf);
    expect(text).toContain('稀土开采、冶炼分离总量控制指标执行情况月报');
    expect(text).toContain('赣州章贡稀土矿业有限公司');
    expect(text).toContain(CREDIT_CODE);
    expect(text).toContain('2026年10月');
    expect(text).toContain('稀土开采（离子型）');
    // allocated, period, year to date, remaining (t), utilisation (%) of the ion-adsorption line
    for (const figure of ['1200.000000', '112.500000', '1092.500000', '107.500000', '91.04']) expect(text).toContain(figure);
    expect(text).toContain(squash('累计使用率越过90%预警线'));
    // mass balance in kg: 250 000 kg of carbonate produced, 45 % of it REO
    expect(text).toContain('250000.000');
    expect(text).toContain('112500.000');
    expect(text).toContain('已报送');
    expect(text).toContain('内容摘要SHA-256');
    expect(text).toContain(enterprise.seal.contentHash);
  });

  it('renders an English PDF with the English title', async () => {
    const text = await pdfText(await renderReportPdf(enterprise, 'en'));
    expect(text).toContain(squash('Rare earth mining and smelting and separation total quantity control indicators: monthly implementation report'));
    expect(text).toContain(squash('Ganzhou Zhanggong Rare Earth Mining Co., Ltd.'));
    expect(text).toContain(squash('Rare earth mining (ion adsorption)'));
    expect(text).toContain('1092.500000');
  });

  it('renders a county compilation with its constituents and the missing unit', async () => {
    const pdf = await renderReportPdf(county, 'zh-CN');
    const text = await pdfText(pdf);
    expect(text).toContain('县级稀土开采、冶炼分离总量控制指标执行情况月报汇总表');
    expect(text).toContain('赣州市章贡区');
    expect(text).toContain('赣州章贡稀土矿业有限公司');
    expect(text).toContain('赣州虔东稀土冶炼厂企业91360702MA38K2LP5W未报送');
    expect(text).toContain(squash('按年度计划组织冶炼分离生产，无异常。'));
    expect(signedReportFromPdf(pdf)).toEqual(county);
  });

  it('embeds the signed document, which verifies, and a changed figure no longer does', () => {
    const embedded = signedReportFromPdf(zhPdf);
    expect(embedded).toEqual(enterprise);
    expect(verifySignedReport(embedded, keys)).toEqual({ valid: true });
    const tampered = structuredClone(embedded!);
    tampered.content.lines[0]!.periodReoGrams = '102500000';
    expect(verifySignedReport(tampered, keys)).toMatchObject({ valid: false, reason: 'content_changed' });
    expect(signedReportFromPdf(Buffer.from('not a pdf'))).toBeNull();
  });

  it('writes a workbook with the title, figures as numbers and the seal', async () => {
    const workbook = new ExcelJS.Workbook();
    // exceljs's types predate Buffer<ArrayBufferLike>; it reads Buffers fine.
    await workbook.xlsx.load(await renderReportXlsx(enterprise, 'zh-CN') as unknown as ArrayBuffer);
    const report = workbook.getWorksheet('报告')!;
    expect(report.getCell('A1').value).toBe('稀土开采、冶炼分离总量控制指标执行情况月报');
    expect(report.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    const rowOf = (sheet: ExcelJS.Worksheet, first: string, second?: string): ExcelJS.Row => {
      const rows = sheet.getRows(1, sheet.rowCount) ?? [];
      const row = rows.find((r) => r.getCell(1).value === first && (second === undefined || r.getCell(3).value === second));
      if (!row) throw new Error(`no row starting with ${first}`);
      return row;
    };
    const ion = rowOf(report, '稀土开采（离子型）');
    expect([2, 3, 4, 5, 6, 8].map((c) => ion.getCell(c).value)).toEqual([1200, 112.5, 1092.5, 107.5, 91.04, 108.2]);
    expect(ion.getCell(2).numFmt).toBe('#,##0.000000');
    expect(ion.getCell(9).value).toContain('预警线');
    const carbonateReo = rowOf(report, '混合碳酸稀土', '折 REO（千克）');
    expect(carbonateReo.getCell(6).value).toBe(112_500); // production, kg REO
    expect(carbonateReo.getCell(6).numFmt).toBe('#,##0.000');

    const sealSheet = workbook.getWorksheet('签章')!;
    expect(rowOf(sealSheet, '内容摘要 SHA-256').getCell(2).value).toBe(enterprise.seal.contentHash);
    expect(rowOf(sealSheet, '签名 Ed25519').getCell(2).value).toBe(enterprise.signature);
    const hint = (sealSheet.getRows(1, sealSheet.rowCount) ?? []).map((r) => String(r.getCell(1).value)).join('\n');
    expect(hint).toContain('GET /api/reports/keys');
    expect(hint).toContain('ytterby reports verify');
  });

  it('writes an English workbook for a compilation', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await renderReportXlsx(county, 'en') as unknown as ArrayBuffer);
    const report = workbook.getWorksheet('Report')!;
    expect(String(report.getCell('A1').value)).toMatch(/^Rare earth .* monthly implementation report, county compilation$/);
    const values = (report.getRows(1, report.rowCount) ?? []).map((r) => r.getCell(1).value);
    expect(values).toContain('Ganzhou Qiandong Rare Earth Smelter (赣州虔东稀土冶炼厂)');
    expect(workbook.getWorksheet('Seal')).toBeDefined();
  });
});
