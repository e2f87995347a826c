/**
 * The XLSX template for recording a month's product flows without an EPCIS system: one row per
 * fact (docs/traceability.md), headers in Chinese or English, and an instruction sheet with a
 * worked example. The column and row-kind vocabulary here is also what an upload is read with
 * (spreadsheet.upload.ts), so a template always reads back.
 */
import ExcelJS from 'exceljs';
import { creditCodeCheckCharacter } from '../../domain/credit-code.ts';

export type TemplateLanguage = 'zh-CN' | 'en';

export const ROW_KINDS = ['mining', 'import', 'transformation_input', 'transformation_output', 'shipment', 'export', 'receipt'] as const;
export type RowKind = (typeof ROW_KINDS)[number];

export const KIND_WORDS: Record<RowKind, { 'zh-CN': string; en: string }> = {
  mining: { 'zh-CN': '开采', en: 'Mining' },
  import: { 'zh-CN': '进口', en: 'Import' },
  transformation_input: { 'zh-CN': '加工投入', en: 'Transformation input' },
  transformation_output: { 'zh-CN': '加工产出', en: 'Transformation output' },
  shipment: { 'zh-CN': '发货', en: 'Shipment' },
  export: { 'zh-CN': '出口', en: 'Export' },
  receipt: { 'zh-CN': '收货', en: 'Receipt' },
};

export interface ColumnDef {
  key: ColumnKey;
  'zh-CN': string;
  en: string;
  /** What goes in the cell, for the header note and the instruction sheet. */
  help: { 'zh-CN': string; en: string };
  width: number;
  /** Text format stops Excel turning credit codes, invoice and declaration numbers into rounded numbers. */
  numFmt: string;
}

export type ColumnKey =
  | 'kind' | 'eventTime' | 'lotUri' | 'lotNumber' | 'productCode' | 'quantityKg' | 'treoPercent' | 'elementSplit'
  | 'location' | 'counterparty' | 'invoiceNo' | 'country' | 'customsNo' | 'transformationRef';

const TEXT = '@';

export const COLUMNS: readonly ColumnDef[] = [
  { key: 'kind', 'zh-CN': '类型', en: 'Kind', width: 16, numFmt: TEXT, help: {
    'zh-CN': '开采、进口、加工投入、加工产出、发货、出口、收货（也可填英文代码，如 shipment）',
    en: 'Mining, Import, Transformation input, Transformation output, Shipment, Export, Receipt (or the code, e.g. shipment)' } },
  { key: 'eventTime', 'zh-CN': '日期时间（北京时间）', en: 'Date and time (China time)', width: 20, numFmt: 'yyyy-mm-dd hh:mm', help: {
    'zh-CN': '发生的日期和时间，北京时间，如 2026-03-05 08:30；只填日期时按 00:00 计',
    en: 'When it happened, in China time (UTC+8), e.g. 2026-03-05 08:30; a date alone means 00:00' } },
  { key: 'lotUri', 'zh-CN': '批次 URI', en: 'Lot URI', width: 52, numFmt: TEXT, help: {
    'zh-CN': '批次标识：本系统赋码的 https://id.ytterby.cn/l/… 或 GS1 标识（https://id.gs1.org/01/…/10/…、urn:epc:class:lgtin:…）；也可不填，改填“批号”和“产品代码”',
    en: 'The lot: a Ytterby URI https://id.ytterby.cn/l/… or a GS1 lot (https://id.gs1.org/01/…/10/…, urn:epc:class:lgtin:…); or leave empty and give lot number and product code' } },
  { key: 'lotNumber', 'zh-CN': '批号', en: 'Lot number', width: 16, numFmt: TEXT, help: {
    'zh-CN': '本企业批号；与产品代码一起生成批次 URI https://id.ytterby.cn/l/{本企业信用代码}/{产品代码}/10/{批号}',
    en: 'Your own lot number; with the product code it forms the lot URI https://id.ytterby.cn/l/{your credit code}/{product code}/10/{lot number}' } },
  { key: 'productCode', 'zh-CN': '产品代码', en: 'Product code', width: 22, numFmt: TEXT, help: {
    'zh-CN': '产品目录代码，如 CONC-ION-HIGH-Y；新批次使用 GS1 标识时必填',
    en: 'Catalogue product code, e.g. CONC-ION-HIGH-Y; required for a new lot with a GS1 identifier' } },
  { key: 'quantityKg', 'zh-CN': '数量（千克）', en: 'Quantity (kg)', width: 14, numFmt: '#,##0.000', help: {
    'zh-CN': '实物量，千克，最多 3 位小数，大于 0', en: 'Mass in kilograms, up to 3 decimals, above 0' } },
  { key: 'treoPercent', 'zh-CN': 'TREO 含量（%）', en: 'TREO (%)', width: 12, numFmt: '0.00##', help: {
    'zh-CN': '开采必填：稀土氧化物总量占实物量的百分比（化验值），最多 4 位小数', en: 'Mining only, required: total rare earth oxides as a percentage of the mass (assay), up to 4 decimals' } },
  { key: 'elementSplit', 'zh-CN': '元素配分（%）', en: 'Element split (%)', width: 22, numFmt: TEXT, help: {
    'zh-CN': '开采选填：各元素占 TREO 的百分比，如 Y:62;Dy:8', en: 'Mining only, optional: each element as a percentage of the TREO, e.g. Y:62;Dy:8' } },
  { key: 'location', 'zh-CN': '地点（URI 或场地代码）', en: 'Location (URI or site code)', width: 24, numFmt: TEXT, help: {
    'zh-CN': '开采必填：已登记矿山的场地代码（如 MINE-1）或地点 URI https://id.ytterby.cn/loc/…；其他类型选填',
    en: 'Required for mining: the site code of your registered mine (e.g. MINE-1) or its location URI https://id.ytterby.cn/loc/…; optional otherwise' } },
  { key: 'counterparty', 'zh-CN': '对方统一社会信用代码', en: 'Counterparty credit code', width: 22, numFmt: TEXT, help: {
    'zh-CN': '发货必填：收货企业；收货必填：发货企业（18 位统一社会信用代码）',
    en: 'Shipment: the receiving enterprise; receipt: the shipping enterprise (18-character unified social credit code); required for both' } },
  { key: 'invoiceNo', 'zh-CN': '增值税专用发票号码', en: 'VAT special invoice no.', width: 22, numFmt: TEXT, help: {
    'zh-CN': '发货必填，收货选填：8–20 位数字', en: 'Required for shipments, optional for receipts: 8–20 digits' } },
  { key: 'country', 'zh-CN': '国家（两位代码）', en: 'Country (ISO code)', width: 12, numFmt: TEXT, help: {
    'zh-CN': '进口必填：原产国；出口必填：目的国（ISO 3166 两位字母，如 MM、DE）',
    en: 'Import: country of origin; export: country of destination; ISO 3166 two letters (e.g. MM, DE); required for both' } },
  { key: 'customsNo', 'zh-CN': '报关单号', en: 'Customs declaration no.', width: 22, numFmt: TEXT, help: {
    'zh-CN': '进口、出口必填：海关报关单号', en: 'Required for imports and exports: the customs declaration number' } },
  { key: 'transformationRef', 'zh-CN': '加工参考号', en: 'Transformation ref', width: 16, numFmt: TEXT, help: {
    'zh-CN': '加工投入、加工产出必填：同一参考号的各行构成一次加工（投入批次 → 产出批次），日期时间须相同',
    en: 'Required for transformation inputs and outputs: rows with the same ref form one transformation (input lots → output lots) and share one date and time' } },
];

export const SHEET_NAMES = {
  flows: { 'zh-CN': '流向', en: 'flows' },
  instructions: { 'zh-CN': '填写说明', en: 'instructions' },
} as const;

/** How many rows of the flows sheet carry the drop-down of row kinds. */
const VALIDATED_ROWS = 2000;

export interface TemplateOptions {
  lang: TemplateLanguage;
  /** The downloading enterprise's credit code, shown where minted lot URIs are explained. */
  creditCode?: string | null;
  products?: readonly { code: string; nameZh: string; nameEn: string; category: string }[];
}

const EXAMPLE_PARTY = (() => {
  const body = '91150207MA0N8K2R4';
  return body + creditCodeCheckCharacter(body);
})();

/** The worked example: a month of a small enterprise, one row per kind. */
function exampleRows(lang: TemplateLanguage, own: string): Record<ColumnKey, string | number>[] {
  const w = (k: RowKind) => KIND_WORDS[k][lang];
  const blank: Record<ColumnKey, string | number> = {
    kind: '', eventTime: '', lotUri: '', lotNumber: '', productCode: '', quantityKg: '', treoPercent: '', elementSplit: '',
    location: '', counterparty: '', invoiceNo: '', country: '', customsNo: '', transformationRef: '',
  };
  return [
    { ...blank, kind: w('mining'), eventTime: '2026-03-05 08:00', lotNumber: '2026-03-001', productCode: 'CONC-ION-HIGH-Y', quantityKg: 12000, treoPercent: 92, elementSplit: 'Y:62;Dy:8;Tb:1.2', location: 'MINE-1' },
    { ...blank, kind: w('import'), eventTime: '2026-03-06 10:00', lotUri: 'https://id.gs1.org/01/06901234567892/10/L0317', productCode: 'CONC-XENOTIME', quantityKg: 20000, country: 'MM', customsNo: '530120260000123456' },
    { ...blank, kind: w('transformation_input'), eventTime: '2026-03-10 09:00', lotNumber: '2026-03-001', productCode: 'CONC-ION-HIGH-Y', quantityKg: 12000, transformationRef: 'T-0310' },
    { ...blank, kind: w('transformation_output'), eventTime: '2026-03-10 09:00', lotNumber: 'Y-2026-03-01', productCode: 'OX-Y', quantityKg: 6500, transformationRef: 'T-0310' },
    { ...blank, kind: w('transformation_output'), eventTime: '2026-03-10 09:00', lotNumber: 'DY-2026-03-01', productCode: 'OX-DY', quantityKg: 850.5, transformationRef: 'T-0310' },
    { ...blank, kind: w('shipment'), eventTime: '2026-03-12 14:30', lotUri: `https://id.ytterby.cn/l/${own}/OX-Y/10/Y-2026-03-01`, quantityKg: 3000, counterparty: EXAMPLE_PARTY, invoiceNo: '44031234' },
    { ...blank, kind: w('export'), eventTime: '2026-03-20 16:00', lotNumber: 'DY-2026-03-01', productCode: 'OX-DY', quantityKg: 500, country: 'DE', customsNo: '530120261000654321' },
    { ...blank, kind: w('receipt'), eventTime: '2026-03-25 11:00', lotUri: `https://id.ytterby.cn/l/${EXAMPLE_PARTY}/MET-PRND/10/PN-0321`, quantityKg: 1000, counterparty: EXAMPLE_PARTY, invoiceNo: '44035678' },
  ];
}

const TEXTS = {
  'zh-CN': {
    title: '稀土产品流向填报模板（EPCIS 2.0）',
    intro: [
      '按《稀土管理条例》及工业和信息化部等部门令第 71 号第十条，企业应于每月 10 日前报送上月产品流向。',
      '在“流向”工作表中每一行填一项业务：开采产出、进口、加工投入/产出、发货、出口、收货。第一行表头请勿修改（中英文表头均可上传）。',
      '上传后，系统把各行转换为 EPCIS 2.0 事件，并与接口报送执行相同的校验；全部通过才保存，任何一行有误则全部不保存，并按行号和列名列出所有错误。',
      '数量以千克计，最多 3 位小数；日期时间按北京时间（UTC+8）。',
    ],
    own: (code: string) => `本企业统一社会信用代码：${code}。用“批号 + 产品代码”填写时，批次 URI 为 https://id.ytterby.cn/l/${code}/{产品代码}/10/{批号}。`,
    ownUnknown: '用“批号 + 产品代码”填写时，批次 URI 为 https://id.ytterby.cn/l/{本企业统一社会信用代码}/{产品代码}/10/{批号}。',
    columnsHeading: '各列说明',
    columnHead: ['列', '填写内容'],
    kindsHeading: '类型与必填列',
    kindHead: ['类型', '英文', '代码', '生成的事件', '必填列'],
    exampleHeading: '填写示例（可复制到“流向”工作表）',
    productsHeading: '产品目录代码',
    productHead: ['产品代码', '名称', '类别'],
  },
  en: {
    title: 'Rare earth product flows: upload template (EPCIS 2.0)',
    intro: [
      'Order No. 71 Art. 10 requires every enterprise to record its product flows of the previous month by the 10th.',
      'On the "flows" sheet, one row is one fact: mining output, import, transformation input or output, shipment, export, receipt. Keep the header row as it is (Chinese or English headers both upload).',
      'An upload is turned into EPCIS 2.0 events and checked exactly like a capture through the API; it is stored only if every row passes. If any row fails, nothing is stored and every error is listed by row and column.',
      'Quantities are in kilograms with up to 3 decimals; dates and times are China time (UTC+8).',
    ],
    own: (code: string) => `Your unified social credit code: ${code}. A lot given as lot number + product code is https://id.ytterby.cn/l/${code}/{product code}/10/{lot number}.`,
    ownUnknown: 'A lot given as lot number + product code is https://id.ytterby.cn/l/{your credit code}/{product code}/10/{lot number}.',
    columnsHeading: 'Columns',
    columnHead: ['Column', 'What to enter'],
    kindsHeading: 'Row kinds and their required columns',
    kindHead: ['Kind', 'Chinese', 'Code', 'Event produced', 'Required columns'],
    exampleHeading: 'Worked example (may be copied to the flows sheet)',
    productsHeading: 'Catalogue product codes',
    productHead: ['Product code', 'Name', 'Category'],
  },
} as const;

const EVENT_OF: Record<RowKind, string> = {
  mining: 'ObjectEvent ADD commissioning + ytb:assay',
  import: 'ObjectEvent ADD commissioning + ytb:import',
  transformation_input: 'TransformationEvent inputQuantityList',
  transformation_output: 'TransformationEvent outputQuantityList',
  shipment: 'ObjectEvent OBSERVE shipping, destination owning_party, inv',
  export: 'ObjectEvent OBSERVE shipping + ytb:export',
  receipt: 'ObjectEvent OBSERVE receiving, source owning_party',
};

/** Required cells per kind, beyond kind, date/time, lot and quantity; also what the upload enforces. */
export const REQUIRED_BY_KIND: Record<RowKind, readonly ColumnKey[]> = {
  mining: ['treoPercent', 'location'],
  import: ['country', 'customsNo'],
  transformation_input: ['transformationRef'],
  transformation_output: ['transformationRef'],
  shipment: ['counterparty', 'invoiceNo'],
  export: ['country', 'customsNo'],
  receipt: ['counterparty'],
};

export function headerOf(key: ColumnKey, lang: TemplateLanguage): string {
  return COLUMNS.find((c) => c.key === key)![lang];
}

export async function flowsTemplate(options: TemplateOptions): Promise<Buffer> {
  const { lang } = options;
  const t = TEXTS[lang];
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Ytterby';

  const flows = workbook.addWorksheet(SHEET_NAMES.flows[lang], { views: [{ state: 'frozen', ySplit: 1 }] });
  flows.columns = COLUMNS.map((c) => ({ key: c.key, width: c.width, style: { numFmt: c.numFmt } }));
  const header = flows.getRow(1);
  COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c[lang];
    cell.numFmt = TEXT;
    cell.note = c.help[lang];
  });
  header.font = { bold: true };
  const kindList = `"${ROW_KINDS.map((k) => KIND_WORDS[k][lang]).join(',')}"`;
  for (let r = 2; r <= VALIDATED_ROWS + 1; r++) {
    flows.getCell(r, 1).dataValidation = {
      type: 'list', allowBlank: true, formulae: [kindList], showErrorMessage: true,
      // A warning, not a stop: the English codes and the other language's words are accepted too.
      errorStyle: 'warning',
      errorTitle: lang === 'en' ? 'Row kind' : '类型',
      error: lang === 'en' ? 'Choose a kind from the list (or type its code, e.g. shipment).' : '请从列表中选择类型（或填写英文代码，如 shipment）。',
    };
  }

  const help = workbook.addWorksheet(SHEET_NAMES.instructions[lang]);
  help.getColumn(1).width = 28;
  help.getColumn(2).width = 90;
  for (let c = 3; c <= COLUMNS.length; c++) help.getColumn(c).width = 20;
  const heading = (text: string, size = 12) => {
    help.addRow([]);
    help.addRow([text]).font = { bold: true, size };
  };
  help.addRow([t.title]).font = { bold: true, size: 14 };
  for (const line of t.intro) help.addRow([line]);
  const own = options.creditCode ?? null;
  help.addRow([own ? t.own(own) : t.ownUnknown]);

  heading(t.columnsHeading);
  help.addRow([...t.columnHead]).font = { bold: true };
  for (const c of COLUMNS) help.addRow([c[lang], c.help[lang]]);

  heading(t.kindsHeading);
  help.addRow([...t.kindHead]).font = { bold: true };
  const other = lang === 'en' ? 'zh-CN' : 'en';
  for (const k of ROW_KINDS) {
    const required = ['eventTime', 'lotUri', 'quantityKg', ...REQUIRED_BY_KIND[k]] as ColumnKey[];
    const names = required.map((key) => (key === 'lotUri' ? `${headerOf('lotUri', lang)} / ${headerOf('lotNumber', lang)} + ${headerOf('productCode', lang)}` : headerOf(key, lang)));
    help.addRow([KIND_WORDS[k][lang], KIND_WORDS[k][other], k, EVENT_OF[k], names.join(lang === 'en' ? ', ' : '、')]);
  }

  heading(t.exampleHeading);
  help.addRow(COLUMNS.map((c) => c[lang])).font = { bold: true };
  for (const example of exampleRows(lang, own ?? '91360700MA35XXXXXX')) help.addRow(COLUMNS.map((c) => example[c.key]));

  if (options.products?.length) {
    heading(t.productsHeading);
    help.addRow([...t.productHead]).font = { bold: true };
    for (const p of options.products) help.addRow([p.code, lang === 'en' ? p.nameEn : p.nameZh, p.category]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
