/**
 * The words of the report exports (PDF and XLSX) in Chinese and English, kept in one place so
 * both files say the same thing. Titles follow the wording of the official forms: 稀土开采／冶炼分离
 * 总量控制指标执行情况月报（年报）for an enterprise, 汇总表 for a level's compilation.
 */
import { gramsToTonnes } from '../../domain/mass.ts';
import type { Indicator } from '../../domain/quota.ts';
import type { ReportContent } from '../../domain/reports/content.ts';
import type { ReportLevel } from '../../domain/reports/deadlines.ts';
import { parsePeriod } from '../../domain/reports/period.ts';
import { gramsToKg } from '../../domain/trace/quantity.ts';

export type ReportLanguage = 'zh-CN' | 'en';

export const INDICATOR_LABELS: Record<ReportLanguage, Record<Indicator, string>> = {
  'zh-CN': {
    mining: '稀土开采', mining_rock_type: '稀土开采（岩矿型）', mining_ion_adsorption: '稀土开采（离子型）', smelting_separation: '稀土冶炼分离',
  },
  en: {
    mining: 'Rare earth mining', mining_rock_type: 'Rare earth mining (rock type)',
    mining_ion_adsorption: 'Rare earth mining (ion adsorption)', smelting_separation: 'Rare earth smelting and separation',
  },
};

export const LEVEL_LABELS: Record<ReportLanguage, Record<ReportLevel, string>> = {
  'zh-CN': { enterprise: '企业', county: '县级', prefecture: '地市级', province: '省级', national: '全国' },
  en: { enterprise: 'Enterprise', county: 'County', prefecture: 'Prefecture', province: 'Province', national: 'National' },
};

/** Report statuses as the reports table stores them; an unknown one is shown as stored. */
const STATUS_LABELS: Record<ReportLanguage, Record<string, string>> = {
  'zh-CN': { submitted: '已报送', accepted: '已接收', returned: '已退回', superseded: '已被更正版本替代' },
  en: { submitted: 'Submitted', accepted: 'Accepted', returned: 'Returned', superseded: 'Superseded by a correction' },
};

export const LISTED_REASON_LABELS: Record<ReportLanguage, Record<'missing' | 'returned' | 'late', string>> = {
  'zh-CN': { missing: '未报送', returned: '已退回', late: '逾期报送' },
  en: { missing: 'Missing', returned: 'Returned', late: 'Late' },
};

export interface ReportLabels {
  subject: { name: string; creditCode: string; divisionCode: string; level: string; period: string; status: string; dueDate: string; late: string; enterpriseReports: string };
  yes: string; no: string;
  /** Between a field's name and its value. */
  colon: string;
  sections: { indicators: string; massBalance: string; closing: string; constituents: string; listed: string; explanations: string; remarks: string; seal: string };
  indicatorColumns: { indicator: string; allocated: string; period: string; yearToDate: string; remaining: string; utilisation: string; thresholds: string; flows: string; explanation: string };
  massColumns: { product: string; code: string; basis: string; opening: string; receipts: string; production: string; use: string; shipments: string; closing: string };
  massBasis: { product: string; reo: string };
  closingColumns: { months: string; closed: string; late: string; missing: string; open: string };
  constituentColumns: { unit: string; level: string; key: string; reportId: string; version: string; submittedAt: string; late: string; contentHash: string };
  listedColumns: { unit: string; level: string; key: string; reason: string; via: string };
  explanationColumns: { unit: string; level: string; key: string; indicator: string; text: string };
  seal: { heading: string; reportId: string; version: string; replaces: string; period: string; level: string; subjectKey: string; contentHash: string; signature: string; keyId: string; submittedBy: string; submittedAt: string };
  none: string;
  /** Where the signed document travels and how to check it; the PDF adds that it is attached. */
  verifyHint: string;
  attachedHint: string;
  attachmentDescription: string;
  sheetReport: string;
  sheetSeal: string;
  page: (current: number, count: number) => string;
}

export const REPORT_LABELS: Record<ReportLanguage, ReportLabels> = {
  'zh-CN': {
    subject: {
      name: '报送单位', creditCode: '统一社会信用代码', divisionCode: '行政区划代码', level: '层级', period: '报告期',
      status: '状态', dueDate: '报送截止日期', late: '逾期', enterpriseReports: '所含企业报告数',
    },
    yes: '是', no: '否', colon: '：',
    sections: {
      indicators: '一、总量控制指标执行情况', massBalance: '二、产品进销存（物料平衡）', closing: '三、月度流向结账情况',
      constituents: '四、汇总的下级报告', listed: '五、未报送、逾期及退回单位', explanations: '六、下级情况说明', remarks: '备注', seal: '电子签章',
    },
    indicatorColumns: {
      indicator: '指标', allocated: '下达指标（吨 REO）', period: '本期产量（吨 REO）', yearToDate: '本年累计（吨 REO）',
      remaining: '剩余指标（吨 REO）', utilisation: '使用率（%）', thresholds: '本期越过预警线（%）', flows: '流向核算产量（吨 REO）', explanation: '情况说明',
    },
    massColumns: {
      product: '产品', code: '产品代码', basis: '口径', opening: '期初结存', receipts: '本期收入', production: '本期生产', use: '本期耗用', shipments: '本期发出', closing: '期末结存',
    },
    massBasis: { product: '实物（千克）', reo: '折 REO（千克）' },
    closingColumns: { months: '应结账月数', closed: '已结账', late: '逾期结账', missing: '缺结', open: '未结账' },
    constituentColumns: {
      unit: '单位', level: '层级', key: '代码', reportId: '报告编号', version: '版本', submittedAt: '提交时间', late: '逾期', contentHash: '内容摘要 SHA-256',
    },
    listedColumns: { unit: '单位', level: '层级', key: '代码', reason: '情况', via: '经由' },
    explanationColumns: { unit: '单位', level: '层级', key: '代码', indicator: '指标', text: '说明' },
    seal: {
      heading: '电子签章', reportId: '报告编号', version: '版本', replaces: '更正的报告', period: '报告期', level: '层级', subjectKey: '主体代码',
      contentHash: '内容摘要 SHA-256', signature: '签名 Ed25519', keyId: '密钥编号', submittedBy: '提交人', submittedAt: '提交时间',
    },
    none: '无',
    verifyHint: '核验：在控制台“报告验证”页（/verify-report，无需登录）上传本文件，或以公布的公钥（GET /api/reports/keys）核对签名，或运行 ytterby reports verify <文件>。内容被改动后摘要不再相符。',
    attachedHint: '本 PDF 内嵌已签章的报告原文（附件 report.signed.json），下载的 PDF 本身即可核验。',
    attachmentDescription: '已签章的报告（JSON），用于核验',
    sheetReport: '报告', sheetSeal: '签章',
    page: (current, count) => `第 ${current} 页，共 ${count} 页`,
  },
  en: {
    subject: {
      name: 'Reporting unit', creditCode: 'Unified social credit code', divisionCode: 'Division code', level: 'Level', period: 'Period',
      status: 'Status', dueDate: 'Due date', late: 'Late', enterpriseReports: 'Enterprise reports included',
    },
    yes: 'yes', no: 'no', colon: ': ',
    sections: {
      indicators: '1. Total quantity control indicators', massBalance: '2. Product mass balance', closing: '3. Monthly flow closings',
      constituents: '4. Reports compiled', listed: '5. Units missing, late or returned', explanations: '6. Explanations from below', remarks: 'Remarks', seal: 'Electronic seal',
    },
    indicatorColumns: {
      indicator: 'Indicator', allocated: 'Allocated (t REO)', period: 'Period production (t REO)', yearToDate: 'Year to date (t REO)',
      remaining: 'Remaining (t REO)', utilisation: 'Utilisation (%)', thresholds: 'Thresholds crossed (%)', flows: 'From product flows (t REO)', explanation: 'Explanation',
    },
    massColumns: {
      product: 'Product', code: 'Product code', basis: 'Basis', opening: 'Opening', receipts: 'Receipts', production: 'Production', use: 'Use', shipments: 'Shipments', closing: 'Closing',
    },
    massBasis: { product: 'Product (kg)', reo: 'REO (kg)' },
    closingColumns: { months: 'Months', closed: 'Closed', late: 'Closed late', missing: 'Missing', open: 'Open' },
    constituentColumns: {
      unit: 'Unit', level: 'Level', key: 'Code', reportId: 'Report ID', version: 'Version', submittedAt: 'Submitted at', late: 'Late', contentHash: 'Content SHA-256',
    },
    listedColumns: { unit: 'Unit', level: 'Level', key: 'Code', reason: 'Status', via: 'Via' },
    explanationColumns: { unit: 'Unit', level: 'Level', key: 'Code', indicator: 'Indicator', text: 'Explanation' },
    seal: {
      heading: 'Electronic seal', reportId: 'Report ID', version: 'Version', replaces: 'Replaces report', period: 'Period', level: 'Level', subjectKey: 'Subject key',
      contentHash: 'Content digest SHA-256', signature: 'Signature Ed25519', keyId: 'Key ID', submittedBy: 'Submitted by', submittedAt: 'Submitted at',
    },
    none: 'none',
    verifyHint: 'To verify: upload this file on the console’s report verification page (/verify-report, no sign-in needed), check the signature with the published key (GET /api/reports/keys), or run ytterby reports verify <file>. Any change to the content breaks the digest.',
    attachedHint: 'The signed report (attachment report.signed.json) is embedded in this PDF, so the downloaded PDF alone can be verified.',
    attachmentDescription: 'The signed report (JSON), for verification',
    sheetReport: 'Report', sheetSeal: 'Seal',
    page: (current, count) => `Page ${current} of ${count}`,
  },
};

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** @example periodLabel('2026-10', 'zh-CN') // '2026年10月' */
export function periodLabel(period: string, lang: ReportLanguage): string {
  const p = parsePeriod(period);
  if (!p) return period;
  if (p.kind === 'year') return lang === 'en' ? `Year ${p.year}` : `${p.year}年度`;
  return lang === 'en' ? `${MONTHS_EN[p.month - 1]} ${p.year}` : `${p.year}年${p.month}月`;
}

/** The seal stores the level as a plain string: a known level is named, anything else shown as stored. */
export function levelLabel(level: string, lang: ReportLanguage): string {
  return (LEVEL_LABELS[lang] as Record<string, string>)[level] ?? level;
}

export function statusLabel(status: string, lang: ReportLanguage): string {
  return STATUS_LABELS[lang][status] ?? status;
}

/** Which activities the report's lines cover; the title names them, as the official forms do. */
function activities(content: ReportContent): { mining: boolean; smelting: boolean } {
  const indicators = content.lines.map((l) => l.indicator);
  return { mining: indicators.some((i) => i !== 'smelting_separation'), smelting: indicators.includes('smelting_separation') };
}

/**
 * @example reportTitle(enterpriseMonthly, 'zh-CN') // '稀土开采总量控制指标执行情况月报'
 * @example reportTitle(countyYearly, 'zh-CN') // '县级稀土开采、冶炼分离总量控制指标执行情况年报汇总表'
 */
export function reportTitle(content: ReportContent, lang: ReportLanguage): string {
  const { mining, smelting } = activities(content);
  const yearly = parsePeriod(content.period)?.kind === 'year';
  const level = content.subject.level;
  if (lang === 'en') {
    const what = [mining ? 'mining' : null, smelting ? 'smelting and separation' : null].filter(Boolean).join(' and ');
    const base = `Rare earth ${what ? `${what} ` : ''}total quantity control indicators: ${yearly ? 'annual' : 'monthly'} implementation report`;
    return level === 'enterprise' ? base : `${base}, ${LEVEL_LABELS.en[level].toLowerCase()} compilation`;
  }
  const what = [mining ? '开采' : null, smelting ? '冶炼分离' : null].filter(Boolean).join('、');
  const base = `稀土${what}总量控制指标执行情况${yearly ? '年报' : '月报'}`;
  return level === 'enterprise' ? base : `${LEVEL_LABELS['zh-CN'][level]}${base}汇总表`;
}

/** The subject's name in the language, with the Chinese (legal) name beside an English one. */
export function subjectName(names: { nameZh: string; nameEn: string }, lang: ReportLanguage): string {
  if (lang === 'zh-CN' || !names.nameEn || names.nameEn === names.nameZh) return names.nameZh;
  return `${names.nameEn} (${names.nameZh})`;
}

/** REO in tonnes as both exports display it: six places, one gram. */
export const tonnes = (grams: string): string => gramsToTonnes(BigInt(grams));
/** Product masses (and their REO) in kilograms with three places. */
export const kilograms = (grams: string): string => gramsToKg(BigInt(grams));
