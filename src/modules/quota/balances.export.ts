/**
 * The balances table as a spreadsheet (XLSX) or CSV, with headings in Chinese or English, for
 * officials who file or reconcile offline. Amounts stay exact decimal strings in CSV; in XLSX
 * they are numbers formatted to six places (Excel's doubles hold grams of tonnages this size).
 */
import ExcelJS from 'exceljs';
import type { BalanceOut } from './ledger.service.ts';

const HEADINGS = {
  'zh-CN': ['企业', '注册地', '指标', '下达量（吨 REO）', '已用量（吨 REO）', '余量（吨 REO）', '核减（吨 REO）', '使用率 %', '超指标'],
  en: ['Enterprise', 'Domicile', 'Indicator', 'Allocated (t REO)', 'Consumed (t REO)', 'Balance (t REO)', 'Reduction (t REO)', 'Utilisation %', 'Over quota'],
} as const;
const INDICATOR_NAMES = {
  'zh-CN': { mining: '开采（未分类）', mining_rock_type: '岩矿型稀土开采', mining_ion_adsorption: '离子型稀土开采', smelting_separation: '冶炼分离' },
  en: { mining: 'Mining (undivided)', mining_rock_type: 'Rock-type mining', mining_ion_adsorption: 'Ion-adsorption mining', smelting_separation: 'Smelting separation' },
} as const;
export type ExportLanguage = keyof typeof HEADINGS;

function rowsOf(balances: BalanceOut[], lang: ExportLanguage): string[][] {
  return balances.map((b) => [
    b.enterpriseNameZh, b.domicileDivisionCode, INDICATOR_NAMES[lang][b.indicator], b.allocatedTonnesReo, b.consumedTonnesReo,
    b.balanceTonnesReo, b.reductionTonnesReo, b.utilisationPercent ?? '', b.overQuota ? (lang === 'en' ? 'yes' : '是') : '',
  ]);
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** UTF-8 with a BOM, so Excel opens the Chinese correctly. */
export function balancesCsv(balances: BalanceOut[], lang: ExportLanguage): string {
  const lines = [HEADINGS[lang], ...rowsOf(balances, lang)].map((r) => r.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function balancesXlsx(balances: BalanceOut[], lang: ExportLanguage, year: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Ytterby';
  const sheet = workbook.addWorksheet(lang === 'en' ? `Quota ${year}` : `${year}年指标执行`);
  sheet.addRow([...HEADINGS[lang]]).font = { bold: true };
  for (const r of rowsOf(balances, lang)) {
    sheet.addRow(r.map((v, i) => (i >= 3 && i <= 7 && v !== '' ? Number(v) : v)));
  }
  for (const col of [4, 5, 6, 7]) sheet.getColumn(col).numFmt = '#,##0.000000';
  sheet.getColumn(1).width = 36;
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
