/**
 * The deterministic demo dataset: departments, rare earth groups, enterprises with licences,
 * designations, the product catalogue and demo users. Pure data, no I/O: the seeding code
 * writes it to the database. Every call returns the same data (a seeded PRNG, no clock).
 *
 * Enterprise names are fictional, in the industry's naming style; divisions, departments'
 * structure, HS codes and element partitions are believable, not authoritative.
 */
import { CREDIT_CODE_ALPHABET, creditCodeCheckCharacter, organisationCodeCheckCharacter } from '../../domain/credit-code.ts';

/** The one password every demo user has; documented in the README, never for production. */
export const DEMO_PASSWORD = 'Ytterby-demo-2026';

export type Activity =
  | 'mining' | 'smelting_separation' | 'metal_smelting' | 'magnet_and_materials'
  | 'trading' | 'export' | 'import' | 'recycling';
export type DepartmentKind =
  | 'industry_it' | 'natural_resources' | 'development_reform' | 'commerce' | 'customs' | 'taxation' | 'state_council';
export type DepartmentLevel = 'national' | 'province' | 'prefecture' | 'county';
export type GroupStatus = 'active' | 'merged';
export type LicenceKind = 'mining_licence' | 'safety_licence' | 'pollutant_discharge_permit';
export type DesignatedActivity = 'mining' | 'smelting_separation';
export type OreKind = 'rock_type' | 'ion_adsorption';
export type ProductCategory =
  | 'mineral_product' | 'separation_oxide' | 'separation_salt' | 'separation_other_compound'
  | 'metal' | 'alloy' | 'magnet' | 'other_functional_material';
export type Role =
  | 'ministry_admin' | 'ministry_reviewer' | 'local_official' | 'enterprise_operator'
  | 'enterprise_reporter' | 'exchange_system' | 'auditor';

export interface DemoDepartment {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: DepartmentKind;
  level: DepartmentLevel;
  /** GB/T 2260 code of the division the department serves; null for national departments. */
  divisionCode: string | null;
}

export interface DemoGroup {
  code: string;
  nameZh: string;
  nameEn: string;
  status: GroupStatus;
  mergedIntoCode: string | null;
}

export interface DemoLicence {
  kind: LicenceKind;
  number: string;
  issuedBy: string;
  /** YYYY-MM-DD */
  validFrom: string;
  /** YYYY-MM-DD */
  validTo: string;
}

export interface DemoEnterprise {
  /** Unified social credit code (GB 32100), 18 characters, check character valid. */
  creditCode: string;
  nameZh: string;
  nameEn: string;
  groupCode: string | null;
  /** County-level division code of the domicile; also characters 3–8 of the credit code. */
  domicileDivisionCode: string;
  activities: Activity[];
  /** Annual capacity in tonnes REO as a decimal string; null where capacity is not meaningful (traders). */
  capacityTonnesReo: string | null;
  licences: DemoLicence[];
}

export interface DemoDesignation {
  creditCode: string;
  activity: DesignatedActivity;
  /** Set for mining, null for smelting separation. */
  oreKind: OreKind | null;
  /** Comma-separated codes of the designating departments, e.g. 'MIIT,MNR'. */
  designatedBy: string;
  documentNo: string;
  validFrom: string;
  validTo: string;
}

export interface DemoProduct {
  code: string;
  nameZh: string;
  nameEn: string;
  category: ProductCategory;
  hsCode: string | null;
  /**
   * Decimal fraction 0..1, at most 6 decimals. For every category except `metal` and `alloy`
   * it is the REO (rare earth oxide equivalent) mass fraction of the product. For metals and
   * alloys it is the rare earth METAL mass fraction (metals '1.000000'): REO equivalent is
   * computed at lot level with each element's metal_to_oxide factor
   * (data/reference/rare-earth-elements.csv), because it would exceed 1.
   */
  reoContent: string;
  /**
   * Element symbol → fraction of the product's rare earth content (of REO; of RE metal for
   * metals and alloys), decimal strings summing to exactly 1. Null where no partition is stated.
   */
  elementSplit: Record<string, string> | null;
}

export interface DemoUser {
  username: string;
  /** Plain text demo password; the seeder hashes it. */
  password: string;
  displayName: string;
  role: Role;
  /** Exactly one of departmentCode and enterpriseCreditCode is set. */
  departmentCode: string | null;
  enterpriseCreditCode: string | null;
}

export interface DemoDataset {
  departments: DemoDepartment[];
  groups: DemoGroup[];
  enterprises: DemoEnterprise[];
  designations: DemoDesignation[];
  products: DemoProduct[];
  users: DemoUser[];
}

/** Categories whose `reoContent` is a rare earth metal fraction, converted to REO at lot level. */
export const METAL_BASIS_CATEGORIES: readonly ProductCategory[] = ['metal', 'alloy'];

export interface DemoDivision {
  code: string;
  nameZh: string;
  nameEn: string;
  level: 'province' | 'prefecture' | 'county';
  parentCode: string | null;
}

type DivisionRow = readonly [code: string, nameZh: string, nameEn: string, level: DemoDivision['level'], parentCode: string | null];

/**
 * The divisions the dataset names, as in data/reference/divisions.csv and
 * data/reference/division-names-en.csv (a test keeps the three in step).
 */
const DIVISION_ROWS: readonly DivisionRow[] = [
  ['110000', '北京市', "Beijing Municipality", 'province', null],
  ['110105', '朝阳区', "Chaoyang District", 'county', '110000'],
  ['110108', '海淀区', "Haidian District", 'county', '110000'],
  ['110114', '昌平区', "Changping District", 'county', '110000'],
  ['120000', '天津市', "Tianjin Municipality", 'province', null],
  ['120110', '东丽区', "Dongli District", 'county', '120000'],
  ['120111', '西青区', "Xiqing District", 'county', '120000'],
  ['120113', '北辰区', "Beichen District", 'county', '120000'],
  ['120114', '武清区', "Wuqing District", 'county', '120000'],
  ['120116', '滨海新区', "Binhai New Area", 'county', '120000'],
  ['130000', '河北省', "Hebei Province", 'province', null],
  ['140000', '山西省', "Shanxi Province", 'province', null],
  ['140100', '太原市', "Taiyuan City", 'prefecture', '140000'],
  ['140105', '小店区', "Xiaodian District", 'county', '140100'],
  ['140108', '尖草坪区', "Jiancaoping District", 'county', '140100'],
  ['140109', '万柏林区', "Wanbailin District", 'county', '140100'],
  ['140121', '清徐县', "Qingxu County", 'county', '140100'],
  ['150000', '内蒙古自治区', "Inner Mongolia Autonomous Region", 'province', null],
  ['150200', '包头市', "Baotou City", 'prefecture', '150000'],
  ['150202', '东河区', "Donghe District", 'county', '150200'],
  ['150203', '昆都仑区', "Kundulun District", 'county', '150200'],
  ['150204', '青山区', "Qingshan District", 'county', '150200'],
  ['150205', '石拐区', "Shiguai District", 'county', '150200'],
  ['150206', '白云鄂博矿区', "Bayan Obo Mining District", 'county', '150200'],
  ['150207', '九原区', "Jiuyuan District", 'county', '150200'],
  ['150221', '土默特右旗', "Tumed Right Banner", 'county', '150200'],
  ['150222', '固阳县', "Guyang County", 'county', '150200'],
  ['150223', '达尔罕茂明安联合旗', "Darhan Muminggan United Banner", 'county', '150200'],
  ['210000', '辽宁省', "Liaoning Province", 'province', null],
  ['220000', '吉林省', "Jilin Province", 'province', null],
  ['230000', '黑龙江省', "Heilongjiang Province", 'province', null],
  ['310000', '上海市', "Shanghai Municipality", 'province', null],
  ['310112', '闵行区', "Minhang District", 'county', '310000'],
  ['310113', '宝山区', "Baoshan District", 'county', '310000'],
  ['310114', '嘉定区', "Jiading District", 'county', '310000'],
  ['310115', '浦东新区', "Pudong New Area", 'county', '310000'],
  ['310117', '松江区', "Songjiang District", 'county', '310000'],
  ['320000', '江苏省', "Jiangsu Province", 'province', null],
  ['320200', '无锡市', "Wuxi City", 'prefecture', '320000'],
  ['320214', '新吴区', "Xinwu District", 'county', '320200'],
  ['320281', '江阴市', "Jiangyin City", 'county', '320200'],
  ['320282', '宜兴市', "Yixing City", 'county', '320200'],
  ['320700', '连云港市', "Lianyungang City", 'prefecture', '320000'],
  ['320703', '连云区', "Lianyun District", 'county', '320700'],
  ['320706', '海州区', "Haizhou District", 'county', '320700'],
  ['320707', '赣榆区', "Ganyu District", 'county', '320700'],
  ['320722', '东海县', "Donghai County", 'county', '320700'],
  ['330000', '浙江省', "Zhejiang Province", 'province', null],
  ['330200', '宁波市', "Ningbo City", 'prefecture', '330000'],
  ['330203', '海曙区', "Haishu District", 'county', '330200'],
  ['330205', '江北区', "Jiangbei District", 'county', '330200'],
  ['330206', '北仑区', "Beilun District", 'county', '330200'],
  ['330211', '镇海区', "Zhenhai District", 'county', '330200'],
  ['330212', '鄞州区', "Yinzhou District", 'county', '330200'],
  ['330213', '奉化区', "Fenghua District", 'county', '330200'],
  ['330225', '象山县', "Xiangshan County", 'county', '330200'],
  ['330226', '宁海县', "Ninghai County", 'county', '330200'],
  ['330281', '余姚市', "Yuyao City", 'county', '330200'],
  ['330282', '慈溪市', "Cixi City", 'county', '330200'],
  ['340000', '安徽省', "Anhui Province", 'province', null],
  ['350000', '福建省', "Fujian Province", 'province', null],
  ['350200', '厦门市', "Xiamen City", 'prefecture', '350000'],
  ['350205', '海沧区', "Haicang District", 'county', '350200'],
  ['350211', '集美区', "Jimei District", 'county', '350200'],
  ['350213', '翔安区', "Xiang'an District", 'county', '350200'],
  ['350400', '三明市', "Sanming City", 'prefecture', '350000'],
  ['350404', '三元区', "Sanyuan District", 'county', '350400'],
  ['350423', '清流县', "Qingliu County", 'county', '350400'],
  ['350424', '宁化县', "Ninghua County", 'county', '350400'],
  ['350481', '永安市', "Yong'an City", 'county', '350400'],
  ['350800', '龙岩市', "Longyan City", 'prefecture', '350000'],
  ['350802', '新罗区', "Xinluo District", 'county', '350800'],
  ['350803', '永定区', "Yongding District", 'county', '350800'],
  ['350821', '长汀县', "Changting County", 'county', '350800'],
  ['350823', '上杭县', "Shanghang County", 'county', '350800'],
  ['350824', '武平县', "Wuping County", 'county', '350800'],
  ['350825', '连城县', "Liancheng County", 'county', '350800'],
  ['350881', '漳平市', "Zhangping City", 'county', '350800'],
  ['360000', '江西省', "Jiangxi Province", 'province', null],
  ['360700', '赣州市', "Ganzhou City", 'prefecture', '360000'],
  ['360702', '章贡区', "Zhanggong District", 'county', '360700'],
  ['360703', '南康区', "Nankang District", 'county', '360700'],
  ['360704', '赣县区', "Ganxian District", 'county', '360700'],
  ['360722', '信丰县', "Xinfeng County", 'county', '360700'],
  ['360723', '大余县', "Dayu County", 'county', '360700'],
  ['360724', '上犹县', "Shangyou County", 'county', '360700'],
  ['360725', '崇义县', "Chongyi County", 'county', '360700'],
  ['360726', '安远县', "Anyuan County", 'county', '360700'],
  ['360728', '定南县', "Dingnan County", 'county', '360700'],
  ['360729', '全南县', "Quannan County", 'county', '360700'],
  ['360730', '宁都县', "Ningdu County", 'county', '360700'],
  ['360731', '于都县', "Yudu County", 'county', '360700'],
  ['360732', '兴国县', "Xingguo County", 'county', '360700'],
  ['360733', '会昌县', "Huichang County", 'county', '360700'],
  ['360734', '寻乌县', "Xunwu County", 'county', '360700'],
  ['360735', '石城县', "Shicheng County", 'county', '360700'],
  ['360781', '瑞金市', "Ruijin City", 'county', '360700'],
  ['360783', '龙南市', "Longnan City", 'county', '360700'],
  ['370000', '山东省', "Shandong Province", 'province', null],
  ['370300', '淄博市', "Zibo City", 'prefecture', '370000'],
  ['370302', '淄川区', "Zichuan District", 'county', '370300'],
  ['370303', '张店区', "Zhangdian District", 'county', '370300'],
  ['370305', '临淄区', "Linzi District", 'county', '370300'],
  ['370600', '烟台市', "Yantai City", 'prefecture', '370000'],
  ['370611', '福山区', "Fushan District", 'county', '370600'],
  ['370613', '莱山区', "Laishan District", 'county', '370600'],
  ['370800', '济宁市', "Jining City", 'prefecture', '370000'],
  ['370811', '任城区', "Rencheng District", 'county', '370800'],
  ['370826', '微山县', "Weishan County", 'county', '370800'],
  ['410000', '河南省', "Henan Province", 'province', null],
  ['420000', '湖北省', "Hubei Province", 'province', null],
  ['430000', '湖南省', "Hunan Province", 'province', null],
  ['431000', '郴州市', "Chenzhou City", 'prefecture', '430000'],
  ['431002', '北湖区', "Beihu District", 'county', '431000'],
  ['431003', '苏仙区', "Suxian District", 'county', '431000'],
  ['431022', '宜章县', "Yizhang County", 'county', '431000'],
  ['431025', '临武县', "Linwu County", 'county', '431000'],
  ['431100', '永州市', "Yongzhou City", 'prefecture', '430000'],
  ['431102', '零陵区', "Lingling District", 'county', '431100'],
  ['431103', '冷水滩区', "Lengshuitan District", 'county', '431100'],
  ['431125', '江永县', "Jiangyong County", 'county', '431100'],
  ['431126', '宁远县', "Ningyuan County", 'county', '431100'],
  ['431127', '蓝山县', "Lanshan County", 'county', '431100'],
  ['431129', '江华瑶族自治县', "Jianghua Yao Autonomous County", 'county', '431100'],
  ['440000', '广东省', "Guangdong Province", 'province', null],
  ['440200', '韶关市', "Shaoguan City", 'prefecture', '440000'],
  ['440205', '曲江区', "Qujiang District", 'county', '440200'],
  ['440224', '仁化县', "Renhua County", 'county', '440200'],
  ['440229', '翁源县', "Wengyuan County", 'county', '440200'],
  ['440300', '深圳市', "Shenzhen City", 'prefecture', '440000'],
  ['440305', '南山区', "Nanshan District", 'county', '440300'],
  ['440306', '宝安区', "Bao'an District", 'county', '440300'],
  ['440307', '龙岗区', "Longgang District", 'county', '440300'],
  ['440310', '坪山区', "Pingshan District", 'county', '440300'],
  ['440311', '光明区', "Guangming District", 'county', '440300'],
  ['441400', '梅州市', "Meizhou City", 'prefecture', '440000'],
  ['441402', '梅江区', "Meijiang District", 'county', '441400'],
  ['441403', '梅县区', "Meixian District", 'county', '441400'],
  ['441422', '大埔县', "Dabu County", 'county', '441400'],
  ['441423', '丰顺县', "Fengshun County", 'county', '441400'],
  ['441424', '五华县', "Wuhua County", 'county', '441400'],
  ['441426', '平远县', "Pingyuan County", 'county', '441400'],
  ['441427', '蕉岭县', "Jiaoling County", 'county', '441400'],
  ['441481', '兴宁市', "Xingning City", 'county', '441400'],
  ['441600', '河源市', "Heyuan City", 'prefecture', '440000'],
  ['441602', '源城区', "Yuancheng District", 'county', '441600'],
  ['441621', '紫金县', "Zijin County", 'county', '441600'],
  ['441622', '龙川县', "Longchuan County", 'county', '441600'],
  ['441623', '连平县', "Lianping County", 'county', '441600'],
  ['441624', '和平县', "Heping County", 'county', '441600'],
  ['441625', '东源县', "Dongyuan County", 'county', '441600'],
  ['450000', '广西壮族自治区', "Guangxi Zhuang Autonomous Region", 'province', null],
  ['450400', '梧州市', "Wuzhou City", 'prefecture', '450000'],
  ['450403', '万秀区', "Wanxiu District", 'county', '450400'],
  ['450405', '长洲区', "Changzhou District", 'county', '450400'],
  ['450406', '龙圩区', "Longxu District", 'county', '450400'],
  ['450421', '苍梧县', "Cangwu County", 'county', '450400'],
  ['450422', '藤县', "Tengxian County", 'county', '450400'],
  ['450423', '蒙山县', "Mengshan County", 'county', '450400'],
  ['450481', '岑溪市', "Cenxi City", 'county', '450400'],
  ['451100', '贺州市', "Hezhou City", 'prefecture', '450000'],
  ['451102', '八步区', "Babu District", 'county', '451100'],
  ['451103', '平桂区', "Pinggui District", 'county', '451100'],
  ['451122', '钟山县', "Zhongshan County", 'county', '451100'],
  ['451400', '崇左市', "Chongzuo City", 'prefecture', '450000'],
  ['451402', '江州区', "Jiangzhou District", 'county', '451400'],
  ['451421', '扶绥县', "Fusui County", 'county', '451400'],
  ['451422', '宁明县', "Ningming County", 'county', '451400'],
  ['451423', '龙州县', "Longzhou County", 'county', '451400'],
  ['451424', '大新县', "Daxin County", 'county', '451400'],
  ['451425', '天等县', "Tiandeng County", 'county', '451400'],
  ['451481', '凭祥市', "Pingxiang City", 'county', '451400'],
  ['460000', '海南省', "Hainan Province", 'province', null],
  ['500000', '重庆市', "Chongqing Municipality", 'province', null],
  ['510000', '四川省', "Sichuan Province", 'province', null],
  ['511100', '乐山市', "Leshan City", 'prefecture', '510000'],
  ['511102', '市中区', "Shizhong District", 'county', '511100'],
  ['511111', '沙湾区', "Shawan District", 'county', '511100'],
  ['511112', '五通桥区', "Wutongqiao District", 'county', '511100'],
  ['511113', '金口河区', "Jinkouhe District", 'county', '511100'],
  ['511123', '犍为县', "Qianwei County", 'county', '511100'],
  ['511181', '峨眉山市', "Emeishan City", 'county', '511100'],
  ['513400', '凉山彝族自治州', "Liangshan Yi Autonomous Prefecture", 'prefecture', '510000'],
  ['513401', '西昌市', "Xichang City", 'county', '513400'],
  ['513402', '会理市', "Huili City", 'county', '513400'],
  ['513424', '德昌县', "Dechang County", 'county', '513400'],
  ['513433', '冕宁县', "Mianning County", 'county', '513400'],
  ['520000', '贵州省', "Guizhou Province", 'province', null],
  ['530000', '云南省', "Yunnan Province", 'province', null],
  ['530900', '临沧市', "Lincang City", 'prefecture', '530000'],
  ['530902', '临翔区', "Linxiang District", 'county', '530900'],
  ['540000', '西藏自治区', "Xizang Autonomous Region", 'province', null],
  ['610000', '陕西省', "Shaanxi Province", 'province', null],
  ['620000', '甘肃省', "Gansu Province", 'province', null],
  ['630000', '青海省', "Qinghai Province", 'province', null],
  ['640000', '宁夏回族自治区', "Ningxia Hui Autonomous Region", 'province', null],
  ['650000', '新疆维吾尔自治区', "Xinjiang Uygur Autonomous Region", 'province', null],
  ['710000', '台湾省', "Taiwan Province", 'province', null],
  ['810000', '香港特别行政区', "Hong Kong Special Administrative Region", 'province', null],
  ['820000', '澳门特别行政区', "Macao Special Administrative Region", 'province', null],
];

export const DEMO_DIVISIONS: ReadonlyMap<string, DemoDivision> = new Map(
  DIVISION_ROWS.map(([code, nameZh, nameEn, level, parentCode]) => [code, { code, nameZh, nameEn, level, parentCode }]),
);

function division(code: string): DemoDivision {
  const found = DEMO_DIVISIONS.get(code);
  if (!found) throw new Error(`division ${code} is not in the demo division table`);
  return found;
}

function provinceOf(code: string): DemoDivision {
  return division(`${code.slice(0, 2)}0000`);
}

/** The prefecture a county belongs to; null for districts of a municipality (their parent is the province-level row). */
function prefectureOf(countyCode: string): DemoDivision | null {
  const parentCode = division(countyCode).parentCode;
  if (parentCode === null) return null;
  const parent = division(parentCode);
  return parent.level === 'prefecture' ? parent : null;
}

const MAINLAND_EXCLUDED_PREFIXES = ['71', '81', '82'];

// ---------------------------------------------------------------------------------------------
// Deterministic randomness and identifiers
// ---------------------------------------------------------------------------------------------

export type Random = () => number;

/** mulberry32: a small 32-bit seeded PRNG, values in [0, 1). */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** A validity period starting on a random day of `year` and ending the day before the same date `years` later. */
function validity(random: Random, year: number, years: number): { validFrom: string; validTo: string } {
  const month = randomInt(random, 1, 12);
  const day = randomInt(random, 2, 28);
  return { validFrom: isoDate(year, month, day), validTo: isoDate(year + years, month, day - 1) };
}

/**
 * Issues unique credit codes: '9' (industry and commerce), '1' (enterprise), the domicile
 * division, a 9-character organisation code (older ones all digits, newer ones 'MA…') with its
 * GB 11714 check character, and the GB 32100 check character.
 */
function creditCodeIssuer(random: Random): (divisionCode: string) => string {
  const issued = new Set<string>();
  return (divisionCode) => {
    for (;;) {
      const newStyle = random() < 0.5;
      const pool = newStyle ? CREDIT_CODE_ALPHABET : '0123456789';
      let body = newStyle ? 'MA' : String(randomInt(random, 1, 9));
      while (body.length < 8) body += pick(random, [...pool]);
      const organisationCode = body + organisationCodeCheckCharacter(body);
      if (issued.has(organisationCode)) continue;
      issued.add(organisationCode);
      const body17 = `91${divisionCode}${organisationCode}`;
      return body17 + creditCodeCheckCharacter(body17);
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Departments
// ---------------------------------------------------------------------------------------------

const NATIONAL_DEPARTMENTS: readonly DemoDepartment[] = [
  { code: 'MIIT', nameZh: '工业和信息化部', nameEn: 'Ministry of Industry and Information Technology', kind: 'industry_it', level: 'national', divisionCode: null },
  { code: 'MNR', nameZh: '自然资源部', nameEn: 'Ministry of Natural Resources', kind: 'natural_resources', level: 'national', divisionCode: null },
  { code: 'NDRC', nameZh: '国家发展和改革委员会', nameEn: 'National Development and Reform Commission', kind: 'development_reform', level: 'national', divisionCode: null },
  { code: 'MOFCOM', nameZh: '商务部', nameEn: 'Ministry of Commerce', kind: 'commerce', level: 'national', divisionCode: null },
  { code: 'GACC', nameZh: '海关总署', nameEn: 'General Administration of Customs', kind: 'customs', level: 'national', divisionCode: null },
  { code: 'STA', nameZh: '国家税务总局', nameEn: 'State Taxation Administration', kind: 'taxation', level: 'national', divisionCode: null },
  { code: 'STATE_COUNCIL', nameZh: '国务院', nameEn: 'State Council', kind: 'state_council', level: 'national', divisionCode: null },
];

type NamePair = readonly [zh: string, en: string];

/** Municipalities name their departments differently from provinces. */
const MUNICIPAL_DEPARTMENTS: Readonly<Record<string, { industryIt: NamePair; naturalResources: NamePair }>> = {
  '110000': {
    industryIt: ['北京市经济和信息化局', 'Beijing Municipal Bureau of Economy and Information Technology'],
    naturalResources: ['北京市规划和自然资源委员会', 'Beijing Municipal Commission of Planning and Natural Resources'],
  },
  '120000': {
    industryIt: ['天津市工业和信息化局', 'Tianjin Municipal Bureau of Industry and Information Technology'],
    naturalResources: ['天津市规划和自然资源局', 'Tianjin Municipal Bureau of Planning and Natural Resources'],
  },
  '310000': {
    industryIt: ['上海市经济和信息化委员会', 'Shanghai Municipal Commission of Economy and Informatization'],
    naturalResources: ['上海市规划和自然资源局', 'Shanghai Municipal Bureau of Planning and Natural Resources'],
  },
  '500000': {
    industryIt: ['重庆市经济和信息化委员会', 'Chongqing Municipal Commission of Economy and Information Technology'],
    naturalResources: ['重庆市规划和自然资源局', 'Chongqing Municipal Bureau of Planning and Natural Resources'],
  },
};

/** Provinces (and their subordinate bureaus) whose industry department is styled 经济和信息化. */
const ECONOMY_STYLE_PROVINCES = new Set(['110000', '310000', '330000', '340000', '420000', '500000', '510000', '540000']);

function provinceDepartments(province: DemoDivision): DemoDepartment[] {
  const municipal = MUNICIPAL_DEPARTMENTS[province.code];
  const economy = ECONOMY_STYLE_PROVINCES.has(province.code);
  const industryIt: NamePair = municipal?.industryIt ?? [
    `${province.nameZh}${economy ? '经济和信息化厅' : '工业和信息化厅'}`,
    `Department of ${economy ? 'Economy' : 'Industry'} and Information Technology of ${province.nameEn}`,
  ];
  const naturalResources: NamePair = municipal?.naturalResources ?? [
    `${province.nameZh}自然资源厅`,
    `Department of Natural Resources of ${province.nameEn}`,
  ];
  return [
    { code: `IIT-${province.code}`, nameZh: industryIt[0], nameEn: industryIt[1], kind: 'industry_it', level: 'province', divisionCode: province.code },
    { code: `NR-${province.code}`, nameZh: naturalResources[0], nameEn: naturalResources[1], kind: 'natural_resources', level: 'province', divisionCode: province.code },
  ];
}

/** Bureaus of a prefecture or county: 包头市九原区工业和信息化局, 寻乌县自然资源局 … */
function localDepartments(unit: DemoDivision): DemoDepartment[] {
  const province = provinceOf(unit.code);
  const parent = unit.parentCode === null ? null : division(unit.parentCode);
  const inMunicipality = unit.level === 'county' && parent?.level === 'province';
  const nameZh = unit.level === 'county' && unit.nameZh.endsWith('区') && parent ? `${parent.nameZh}${unit.nameZh}` : unit.nameZh;
  const nameEn = unit.level === 'county' && parent ? `${unit.nameEn}, ${parent.nameEn}` : unit.nameEn;
  const economy = ECONOMY_STYLE_PROVINCES.has(province.code);
  const level: DepartmentLevel = unit.level === 'prefecture' ? 'prefecture' : 'county';
  return [
    {
      code: `IIT-${unit.code}`,
      nameZh: `${nameZh}${economy ? '经济和信息化局' : '工业和信息化局'}`,
      nameEn: `Bureau of ${economy ? 'Economy' : 'Industry'} and Information Technology of ${nameEn}`,
      kind: 'industry_it',
      level,
      divisionCode: unit.code,
    },
    {
      code: `NR-${unit.code}`,
      nameZh: `${nameZh}${inMunicipality ? '规划和自然资源局' : '自然资源局'}`,
      nameEn: `Bureau of ${inMunicipality ? 'Planning and ' : ''}Natural Resources of ${nameEn}`,
      kind: 'natural_resources',
      level,
      divisionCode: unit.code,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Groups
// ---------------------------------------------------------------------------------------------

const GROUPS: readonly DemoGroup[] = [
  { code: 'CREG', nameZh: '中国稀土集团有限公司', nameEn: 'China Rare Earth Group Co., Ltd.', status: 'active', mergedIntoCode: null },
  { code: 'NORTHERN', nameZh: '中国北方稀土（集团）高科技股份有限公司', nameEn: 'China Northern Rare Earth (Group) High-Tech Co., Ltd.', status: 'active', mergedIntoCode: null },
  // The rare earth businesses below were combined into China Rare Earth Group (founded December 2021);
  // Xiamen Tungsten's and Guangdong Rare Earth's followed later. Kept as merged for history.
  { code: 'MINMETALS_RE', nameZh: '中国五矿集团稀土业务（五矿稀土）', nameEn: 'China Minmetals Rare Earth', status: 'merged', mergedIntoCode: 'CREG' },
  { code: 'CHINALCO_RE', nameZh: '中国稀有稀土股份有限公司（中铝稀土）', nameEn: 'China Rare Metal and Rare Earth (Chinalco Rare Earth)', status: 'merged', mergedIntoCode: 'CREG' },
  { code: 'GANZHOU_RE', nameZh: '赣州稀土集团有限公司（南方稀土）', nameEn: 'Ganzhou Rare Earth Group (Southern Rare Earth)', status: 'merged', mergedIntoCode: 'CREG' },
  { code: 'XIAMEN_TUNGSTEN_RE', nameZh: '厦门钨业股份有限公司稀土业务', nameEn: 'Xiamen Tungsten Co., Ltd. (rare earth business)', status: 'merged', mergedIntoCode: 'CREG' },
  { code: 'GUANGDONG_RE', nameZh: '广东省稀土产业集团有限公司', nameEn: 'Guangdong Rare Earth Industry Group', status: 'merged', mergedIntoCode: 'CREG' },
];

// ---------------------------------------------------------------------------------------------
// Designated rare earth production enterprises
// ---------------------------------------------------------------------------------------------

interface ProducerSpec {
  key: string;
  county: string;
  nameZh: string;
  nameEn: string;
  groupCode: 'CREG' | 'NORTHERN';
  /** Ore kind of the mining designation; null when the enterprise does not mine. */
  mining: OreKind | null;
  separation: boolean;
  capacity: string;
  /** A licence that lapsed in 2025, for eligibility tests. */
  expiredLicence?: { kind: LicenceKind; validTo: string };
  /** A designation that lapsed, for "only designated enterprises produce" tests. */
  expiredDesignation?: true;
}

const PRODUCERS: readonly ProducerSpec[] = [
  // rock-type mining
  { key: 'bayan-obo-mine', county: '150206', nameZh: '包头白云鄂博瑞岭稀土矿业有限责任公司', nameEn: 'Baotou Bayan Obo Ruiling Rare Earth Mining Co., Ltd.', groupCode: 'NORTHERN', mining: 'rock_type', separation: false, capacity: '100000' },
  { key: 'damao-mine', county: '150223', nameZh: '内蒙古达茂北岭稀土矿业有限公司', nameEn: 'Inner Mongolia Damao Beiling Rare Earth Mining Co., Ltd.', groupCode: 'NORTHERN', mining: 'rock_type', separation: false, capacity: '10000', expiredDesignation: true },
  { key: 'mianning-mine', county: '513433', nameZh: '四川冕宁牦岭稀土矿业有限公司', nameEn: 'Sichuan Mianning Maoling Rare Earth Mining Co., Ltd.', groupCode: 'CREG', mining: 'rock_type', separation: false, capacity: '25000' },
  { key: 'dechang-mine', county: '513424', nameZh: '四川德昌安宁河稀土矿业有限公司', nameEn: 'Sichuan Dechang Anninghe Rare Earth Mining Co., Ltd.', groupCode: 'CREG', mining: 'rock_type', separation: false, capacity: '6000' },
  { key: 'weishan-mine-sep', county: '370826', nameZh: '山东微山湖滨稀土有限公司', nameEn: 'Shandong Weishan Hubin Rare Earth Co., Ltd.', groupCode: 'CREG', mining: 'rock_type', separation: true, capacity: '5000' },
  // ion-adsorption mining
  { key: 'xunwu-mine', county: '360734', nameZh: '赣州寻乌南岭稀土矿业有限公司', nameEn: 'Ganzhou Xunwu Nanling Rare Earth Mining Co., Ltd.', groupCode: 'CREG', mining: 'ion_adsorption', separation: false, capacity: '2000' },
  { key: 'xunwu-mine-2', county: '360734', nameZh: '赣州寻乌东江源稀土矿业有限公司', nameEn: 'Ganzhou Xunwu Dongjiangyuan Rare Earth Mining Co., Ltd.', groupCode: 'CREG', mining: 'ion_adsorption', separation: false, capacity: '1200', expiredLicence: { kind: 'safety_licence', validTo: '2025-08-31' } },
  { key: 'longnan-mine', county: '360783', nameZh: '赣州龙南桃江稀土矿业有限公司', nameEn: 'Ganzhou Longnan Taojiang Rare Earth Mining Co., Ltd.', groupCode: 'CREG', mining: 'ion_adsorption', separation: false, capacity: '2500' },
  { key: 'dingnan-mine', county: '360728', nameZh: '赣州定南岭北稀土矿业有限公司', nameEn: 'Ganzhou Dingnan Lingbei Rare Earth Mining Co., Ltd.', groupCode: 'CREG', mining: 'ion_adsorption', separation: false, capacity: '1500' },
  { key: 'anyuan-mine', county: '360726', nameZh: '赣州安远三百山稀土矿业有限公司', nameEn: 'Ganzhou Anyuan Sanbaishan Rare Earth Mining Co., Ltd.', groupCode: 'CREG', mining: 'ion_adsorption', separation: false, capacity: '1000', expiredLicence: { kind: 'mining_licence', validTo: '2025-11-30' } },
  { key: 'shanghang-mine', county: '350823', nameZh: '福建上杭汀江稀土矿业有限公司', nameEn: 'Fujian Shanghang Tingjiang Rare Earth Mining Co., Ltd.', groupCode: 'CREG', mining: 'ion_adsorption', separation: false, capacity: '1500' },
  { key: 'pingyuan-mine', county: '441426', nameZh: '梅州平远仁居稀土矿业有限公司', nameEn: 'Meizhou Pingyuan Renju Rare Earth Mining Co., Ltd.', groupCode: 'CREG', mining: 'ion_adsorption', separation: false, capacity: '1200' },
  { key: 'heping-mine', county: '441624', nameZh: '河源和平九连稀土矿业有限公司', nameEn: 'Heyuan Heping Jiulian Rare Earth Mining Co., Ltd.', groupCode: 'CREG', mining: 'ion_adsorption', separation: false, capacity: '1000' },
  { key: 'longzhou-mine', county: '451423', nameZh: '广西崇左龙州左江稀土矿业有限公司', nameEn: 'Guangxi Chongzuo Longzhou Zuojiang Rare Earth Mining Co., Ltd.', groupCode: 'CREG', mining: 'ion_adsorption', separation: false, capacity: '1500' },
  { key: 'tengxian-mine', county: '450422', nameZh: '广西梧州藤县浔江稀土矿业有限公司', nameEn: 'Guangxi Wuzhou Tengxian Xunjiang Rare Earth Mining Co., Ltd.', groupCode: 'CREG', mining: 'ion_adsorption', separation: false, capacity: '800' },
  { key: 'babu-mine', county: '451102', nameZh: '广西贺州八步桂岭稀土矿业有限公司', nameEn: 'Guangxi Hezhou Babu Guiling Rare Earth Mining Co., Ltd.', groupCode: 'CREG', mining: 'ion_adsorption', separation: false, capacity: '1000' },
  { key: 'jianghua-mine', county: '431129', nameZh: '湖南江华瑶都稀土矿业有限公司', nameEn: 'Hunan Jianghua Yaodu Rare Earth Mining Co., Ltd.', groupCode: 'CREG', mining: 'ion_adsorption', separation: false, capacity: '1500' },
  { key: 'linxiang-mine', county: '530902', nameZh: '云南临沧临翔南汀稀土矿业有限公司', nameEn: 'Yunnan Lincang Linxiang Nanting Rare Earth Mining Co., Ltd.', groupCode: 'CREG', mining: 'ion_adsorption', separation: false, capacity: '1200' },
  // smelting separation
  { key: 'baotou-sep', county: '150207', nameZh: '包头九原瑞和稀土冶炼分离有限公司', nameEn: 'Baotou Jiuyuan Ruihe Rare Earth Smelting and Separation Co., Ltd.', groupCode: 'NORTHERN', mining: null, separation: true, capacity: '30000' },
  { key: 'qingshan-sep', county: '150204', nameZh: '包头青山华昱稀土高科有限公司', nameEn: 'Baotou Qingshan Huayu Rare Earth Hi-Tech Co., Ltd.', groupCode: 'NORTHERN', mining: null, separation: true, capacity: '20000' },
  // deliberately below a 1,000 t minimum capacity
  { key: 'zichuan-sep', county: '370302', nameZh: '淄博淄川泰和稀土分离有限公司', nameEn: 'Zibo Zichuan Taihe Rare Earth Separation Co., Ltd.', groupCode: 'NORTHERN', mining: null, separation: true, capacity: '800' },
  { key: 'wutongqiao-sep', county: '511112', nameZh: '乐山五通桥岷江稀土分离有限公司', nameEn: 'Leshan Wutongqiao Minjiang Rare Earth Separation Co., Ltd.', groupCode: 'CREG', mining: null, separation: true, capacity: '8000' },
  { key: 'xichang-sep', county: '513401', nameZh: '凉山西昌邛海稀土冶炼分离有限公司', nameEn: 'Liangshan Xichang Qionghai Rare Earth Smelting and Separation Co., Ltd.', groupCode: 'CREG', mining: null, separation: true, capacity: '10000' },
  { key: 'longnan-sep', county: '360783', nameZh: '赣州龙南渥江稀土分离有限公司', nameEn: 'Ganzhou Longnan Wojiang Rare Earth Separation Co., Ltd.', groupCode: 'CREG', mining: null, separation: true, capacity: '5000' },
  { key: 'quannan-sep', county: '360729', nameZh: '赣州全南桃源稀土分离有限公司', nameEn: 'Ganzhou Quannan Taoyuan Rare Earth Separation Co., Ltd.', groupCode: 'CREG', mining: null, separation: true, capacity: '3000', expiredLicence: { kind: 'pollutant_discharge_permit', validTo: '2025-03-31' } },
  { key: 'xinfeng-sep', county: '360722', nameZh: '赣州信丰西牛稀土分离有限公司', nameEn: 'Ganzhou Xinfeng Xiniu Rare Earth Separation Co., Ltd.', groupCode: 'CREG', mining: null, separation: true, capacity: '4000' },
  { key: 'ganxian-sep', county: '360704', nameZh: '赣州赣县章江稀土冶炼分离有限公司', nameEn: 'Ganzhou Ganxian Zhangjiang Rare Earth Smelting and Separation Co., Ltd.', groupCode: 'CREG', mining: null, separation: true, capacity: '6000' },
  { key: 'changting-sep', county: '350821', nameZh: '福建长汀汀州稀土冶炼分离有限公司', nameEn: 'Fujian Changting Tingzhou Rare Earth Smelting and Separation Co., Ltd.', groupCode: 'CREG', mining: null, separation: true, capacity: '5000' },
  { key: 'meixian-sep', county: '441403', nameZh: '梅州梅县程江稀土分离有限公司', nameEn: 'Meizhou Meixian Chengjiang Rare Earth Separation Co., Ltd.', groupCode: 'CREG', mining: null, separation: true, capacity: '3000' },
  { key: 'longchuan-sep', county: '441622', nameZh: '河源龙川佗城稀土分离有限公司', nameEn: 'Heyuan Longchuan Tuocheng Rare Earth Separation Co., Ltd.', groupCode: 'CREG', mining: null, separation: true, capacity: '2500' },
  { key: 'jiangzhou-sep', county: '451402', nameZh: '广西崇左江州国岭稀土冶炼分离有限公司', nameEn: 'Guangxi Chongzuo Jiangzhou Guoling Rare Earth Smelting and Separation Co., Ltd.', groupCode: 'CREG', mining: null, separation: true, capacity: '4000' },
  { key: 'yixing-sep', county: '320282', nameZh: '宜兴荆溪稀土分离有限公司', nameEn: 'Yixing Jingxi Rare Earth Separation Co., Ltd.', groupCode: 'CREG', mining: null, separation: true, capacity: '4500' },
  // separates imported monazite
  { key: 'lianyungang-sep', county: '320703', nameZh: '连云港港城稀土分离有限公司', nameEn: 'Lianyungang Gangcheng Rare Earth Separation Co., Ltd.', groupCode: 'CREG', mining: null, separation: true, capacity: '3000' },
];

/** Abbreviations used in safety licence numbers: （赣）FM安许证字〔2024〕… */
const PROVINCE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  '150000': '蒙', '320000': '苏', '350000': '闽', '360000': '赣', '370000': '鲁',
  '430000': '湘', '440000': '粤', '450000': '桂', '510000': '川', '530000': '云',
};

function safetyLicence(random: Random, county: string, mine: boolean): DemoLicence {
  const province = provinceOf(county);
  const abbreviation = PROVINCE_ABBREVIATIONS[province.code];
  if (abbreviation === undefined) throw new Error(`no licence abbreviation for ${province.nameZh}`);
  const year = randomInt(random, 2024, 2025);
  // Non-coal mines hold an FM licence; separation plants handle hazardous chemicals (WH).
  const prefix = mine ? 'FM' : 'WH';
  return {
    kind: 'safety_licence',
    number: `（${abbreviation}）${prefix}安许证字〔${year}〕${mine ? 'M' : ''}${pad(randomInt(random, 1, 2999), 4)}号`,
    issuedBy: `${province.nameZh}应急管理厅`,
    ...validity(random, year, 3),
  };
}

function miningLicence(random: Random): DemoLicence {
  const year = randomInt(random, 2019, 2023);
  const period = validity(random, year, randomInt(random, 8, 12));
  return {
    kind: 'mining_licence',
    number: `C100000${year}${period.validFrom.slice(5, 7)}${pad(randomInt(random, 1, 9999), 4)}${pad(randomInt(random, 0, 999999), 6)}`,
    issuedBy: '自然资源部',
    ...period,
  };
}

function pollutantDischargePermit(random: Random, creditCode: string, county: string): DemoLicence {
  const issuer = prefectureOf(county) ?? provinceOf(county);
  return {
    kind: 'pollutant_discharge_permit',
    number: `${creditCode}001P`,
    issuedBy: `${issuer.nameZh}生态环境局`,
    ...validity(random, randomInt(random, 2022, 2025), 5),
  };
}

// ---------------------------------------------------------------------------------------------
// Downstream enterprises
// ---------------------------------------------------------------------------------------------

type Template =
  | 'magnet' | 'metal' | 'alloy' | 'trader' | 'exporter' | 'importer' | 'recycler' | 'polishing' | 'catalyst' | 'phosphor';

interface TemplateSpec {
  variants: readonly NamePair[];
  activities: readonly Activity[];
  /** An activity some of them add, with its probability. */
  extra?: readonly [activity: Activity, probability: number];
  /** Capacity range in t REO per year, stepped; null for traders. */
  capacity: readonly [min: number, max: number, step: number] | null;
  pollutantPermit: boolean;
}

const TEMPLATES: Readonly<Record<Template, TemplateSpec>> = {
  magnet: {
    variants: [['磁业有限公司', 'Magnetics Co., Ltd.'], ['磁性材料有限公司', 'Magnetic Materials Co., Ltd.'], ['永磁科技有限公司', 'Permanent Magnet Technology Co., Ltd.'], ['磁电科技股份有限公司', 'Magnetoelectric Technology Co., Ltd.']],
    activities: ['magnet_and_materials'], extra: ['export', 0.4], capacity: [300, 5000, 50], pollutantPermit: false,
  },
  metal: {
    variants: [['稀土金属有限公司', 'Rare Earth Metals Co., Ltd.'], ['稀土新材料有限公司', 'Rare Earth New Materials Co., Ltd.'], ['稀土冶金材料有限公司', 'Rare Earth Metallurgical Materials Co., Ltd.']],
    activities: ['metal_smelting'], extra: ['export', 0.15], capacity: [1000, 8000, 100], pollutantPermit: true,
  },
  alloy: {
    variants: [['稀土合金有限公司', 'Rare Earth Alloy Co., Ltd.'], ['特种合金有限公司', 'Special Alloy Co., Ltd.']],
    activities: ['metal_smelting'], capacity: [500, 3000, 100], pollutantPermit: true,
  },
  trader: {
    variants: [['稀土贸易有限公司', 'Rare Earth Trading Co., Ltd.'], ['稀土商贸有限公司', 'Rare Earth Commerce Co., Ltd.'], ['有色金属贸易有限公司', 'Nonferrous Metals Trading Co., Ltd.']],
    activities: ['trading'], capacity: null, pollutantPermit: false,
  },
  exporter: {
    variants: [['进出口有限公司', 'Import and Export Co., Ltd.'], ['国际贸易有限公司', 'International Trading Co., Ltd.']],
    activities: ['trading', 'export'], extra: ['import', 0.3], capacity: null, pollutantPermit: false,
  },
  importer: {
    variants: [['矿产资源有限公司', 'Mineral Resources Co., Ltd.'], ['矿业进出口有限公司', 'Mining Import and Export Co., Ltd.']],
    activities: ['trading', 'import'], capacity: null, pollutantPermit: false,
  },
  recycler: {
    variants: [['再生资源有限公司', 'Renewable Resources Co., Ltd.'], ['稀土资源循环利用有限公司', 'Rare Earth Resource Recycling Co., Ltd.'], ['环保科技有限公司', 'Environmental Technology Co., Ltd.']],
    activities: ['recycling'], capacity: [500, 5000, 100], pollutantPermit: true,
  },
  polishing: {
    variants: [['抛光材料有限公司', 'Polishing Materials Co., Ltd.']],
    activities: ['magnet_and_materials'], capacity: [1000, 6000, 100], pollutantPermit: false,
  },
  catalyst: {
    variants: [['催化材料有限公司', 'Catalytic Materials Co., Ltd.'], ['催化剂有限公司', 'Catalyst Co., Ltd.']],
    activities: ['magnet_and_materials'], capacity: [200, 2000, 50], pollutantPermit: false,
  },
  phosphor: {
    variants: [['发光材料有限公司', 'Luminescent Materials Co., Ltd.']],
    activities: ['magnet_and_materials'], extra: ['export', 0.3], capacity: [50, 500, 10], pollutantPermit: false,
  },
};

/** [county, template, how many, group of the first one]. */
type DownstreamSpec = readonly [county: string, template: Template, count: number, firstGroup?: 'CREG' | 'NORTHERN'];

const DOWNSTREAM: readonly DownstreamSpec[] = [
  // Ningbo: sintered NdFeB
  ['330212', 'magnet', 4], ['330282', 'magnet', 3], ['330206', 'magnet', 2], ['330211', 'magnet', 2],
  ['330213', 'magnet', 1], ['330281', 'magnet', 2], ['330226', 'magnet', 1], ['330225', 'magnet', 1],
  ['330203', 'exporter', 2], ['330205', 'trader', 1], ['330206', 'importer', 1], ['330212', 'recycler', 1], ['330211', 'metal', 1],
  // Baotou
  ['150203', 'metal', 2, 'NORTHERN'], ['150203', 'magnet', 2], ['150203', 'exporter', 1],
  ['150207', 'metal', 2, 'NORTHERN'], ['150207', 'magnet', 2], ['150207', 'recycler', 1],
  ['150204', 'magnet', 1], ['150204', 'polishing', 1], ['150202', 'trader', 1], ['150205', 'alloy', 1],
  ['150222', 'metal', 1], ['150221', 'catalyst', 1],
  // Ganzhou
  ['360702', 'trader', 2], ['360702', 'exporter', 1], ['360703', 'magnet', 1],
  ['360704', 'metal', 3, 'CREG'], ['360704', 'magnet', 2], ['360704', 'recycler', 2],
  ['360722', 'recycler', 1], ['360783', 'metal', 1], ['360723', 'alloy', 1], ['360731', 'magnet', 1],
  ['360781', 'phosphor', 1], ['360734', 'recycler', 1],
  // Taiyuan
  ['140105', 'magnet', 2], ['140108', 'magnet', 1], ['140121', 'magnet', 1], ['140109', 'trader', 1],
  // Tianjin
  ['120111', 'magnet', 2], ['120113', 'magnet', 1], ['120116', 'exporter', 1], ['120116', 'importer', 1], ['120110', 'catalyst', 1],
  // Shenzhen
  ['440306', 'magnet', 2], ['440307', 'magnet', 1], ['440305', 'exporter', 2], ['440310', 'recycler', 1], ['440311', 'phosphor', 1],
  // Shanghai
  ['310115', 'exporter', 2], ['310115', 'importer', 1], ['310114', 'catalyst', 1], ['310113', 'trader', 1],
  ['310112', 'trader', 1], ['310117', 'magnet', 1],
  // Beijing
  ['110108', 'trader', 1], ['110105', 'exporter', 1], ['110114', 'magnet', 1],
  // Xiamen
  ['350205', 'metal', 1], ['350211', 'magnet', 1], ['350213', 'magnet', 1],
  // Leshan, Liangshan
  ['511111', 'metal', 1, 'CREG'], ['511112', 'alloy', 1], ['513401', 'metal', 1],
  // Wuxi, Lianyungang, Zibo, Yantai, Jining
  ['320282', 'polishing', 1], ['320214', 'magnet', 1], ['320281', 'trader', 1],
  ['320706', 'importer', 1], ['320722', 'phosphor', 1], ['370303', 'catalyst', 1],
  ['370611', 'magnet', 1], ['370613', 'magnet', 1], ['370811', 'polishing', 1],
  // Southern ion-adsorption regions
  ['440205', 'recycler', 1], ['451103', 'recycler', 1], ['431003', 'recycler', 1], ['350404', 'metal', 1],
  ['441481', 'magnet', 1], ['350802', 'magnet', 1],
];

/** Fictional trade names; each used once. */
const BRANDS: readonly NamePair[] = [
  ['瑞丰', 'Ruifeng'], ['华磁', 'Huaci'], ['金源', 'Jinyuan'], ['永盛', 'Yongsheng'], ['鑫泰', 'Xintai'],
  ['海纳', 'Haina'], ['博远', 'Boyuan'], ['恒昌', 'Hengchang'], ['德润', 'Derun'], ['振宇', 'Zhenyu'],
  ['嘉磁', 'Jiaci'], ['立诚', 'Licheng'], ['卓越', 'Zhuoyue'], ['东瀚', 'Donghan'], ['和信', 'Hexin'],
  ['晟磁', 'Shengci'], ['方圆', 'Fangyuan'], ['锦程', 'Jincheng'], ['润达', 'Runda'], ['通源', 'Tongyuan'],
  ['精磁', 'Jingci'], ['昊天', 'Haotian'], ['新瑞', 'Xinrui'], ['金鼎', 'Jinding'], ['华辰', 'Huachen'],
  ['恒益', 'Hengyi'], ['启明', 'Qiming'], ['磐石', 'Panshi'], ['嘉瑞', 'Jiarui'], ['聚力', 'Juli'],
  ['诚峰', 'Chengfeng'], ['盛隆', 'Shenglong'], ['晶源', 'Jingyuan'], ['宏磁', 'Hongci'], ['翔宇', 'Xiangyu'],
  ['腾达', 'Tengda'], ['远航', 'Yuanhang'], ['双赢', 'Shuangying'], ['福磁', 'Fuci'], ['凌云', 'Lingyun'],
  ['九州', 'Jiuzhou'], ['广源', 'Guangyuan'], ['华晟', 'Huasheng'], ['旭日', 'Xuri'], ['恒泰', 'Hengtai'],
  ['天宇', 'Tianyu'], ['锐磁', 'Ruici'], ['科磁', 'Keci'], ['鼎盛', 'Dingsheng'], ['安磁', 'Anci'],
  ['兴磁', 'Xingci'], ['银峰', 'Yinfeng'], ['瑞鑫', 'Ruixin'], ['百川', 'Baichuan'], ['致远', 'Zhiyuan'],
  ['泓源', 'Hongyuan'], ['鸿鹄', 'Honghu'], ['正德', 'Zhengde'], ['广益', 'Guangyi'], ['华越', 'Huayue'],
  ['同创', 'Tongchuang'], ['坤元', 'Kunyuan'], ['乾磁', 'Qianci'], ['弘毅', 'Hongyi'], ['明德', 'Mingde'],
  ['金穗', 'Jinsui'], ['宇辰', 'Yuchen'], ['丰源', 'Fengyuan'], ['华澳', "Hua'ao"], ['中恒', 'Zhongheng'],
  ['瀚宇', 'Hanyu'], ['星辰', 'Xingchen'], ['蓝海', 'Lanhai'], ['朗磁', 'Langci'], ['铭磁', 'Mingci'],
  ['赛磁', 'Saici'], ['开元', 'Kaiyuan'], ['东升', 'Dongsheng'], ['南风', 'Nanfeng'], ['西林', 'Xilin'],
  ['天工', 'Tiangong'], ['力源', 'Liyuan'], ['汇磁', 'Huici'], ['昌盛', 'Changsheng'], ['浩然', 'Haoran'],
  ['博磁', 'Boci'], ['易磁', 'Yici'], ['卓磁', 'Zhuoci'], ['金阳', 'Jinyang'], ['旭磁', 'Xuci'],
  ['骏马', 'Junma'], ['盛唐', 'Shengtang'], ['中天', 'Zhongtian'], ['瑞普', 'Ruipu'], ['锦华', 'Jinhua'],
  ['源通', 'Yuantong'], ['润磁', 'Runci'], ['凯磁', 'Kaici'], ['宝磁', 'Baoci'], ['金桥', 'Jinqiao'],
  ['智磁', 'Zhici'], ['永和', 'Yonghe'], ['顺达', 'Shunda'], ['金海', 'Jinhai'], ['海磁', 'Haici'],
  ['钜磁', 'Juci'], ['华锐', 'Huarui'], ['恒远', 'Hengyuan'], ['德盛', 'Desheng'], ['嘉禾', 'Jiahe'],
];

/** Place word of a company name: a county-level city's own name, otherwise its prefecture's or municipality's. */
function placeOf(county: string): NamePair {
  const unit = division(county);
  const named = unit.nameZh.endsWith('市') ? unit : division(unit.parentCode ?? provinceOf(county).code);
  return [
    named.nameZh.replace(/(彝族自治州|市)$/u, ''),
    named.nameEn.replace(/ (City|Municipality|Yi Autonomous Prefecture)$/u, ''),
  ];
}

const ACTIVITY_ORDER: readonly Activity[] = [
  'mining', 'smelting_separation', 'metal_smelting', 'magnet_and_materials', 'trading', 'export', 'import', 'recycling',
];

function inActivityOrder(activities: Iterable<Activity>): Activity[] {
  const set = new Set(activities);
  return ACTIVITY_ORDER.filter((activity) => set.has(activity));
}

// ---------------------------------------------------------------------------------------------
// Products
// ---------------------------------------------------------------------------------------------

/** Typical partitions of REO, as fractions of total REO. */
const SPLIT_BAYAN_OBO: Record<string, string> = {
  La: '0.26', Ce: '0.50', Pr: '0.05', Nd: '0.16', Sm: '0.012', Eu: '0.002', Gd: '0.007',
  Tb: '0.001', Dy: '0.002', Ho: '0.0005', Er: '0.0005', Y: '0.005',
};
const SPLIT_BASTNAESITE: Record<string, string> = {
  La: '0.33', Ce: '0.49', Pr: '0.04', Nd: '0.12', Sm: '0.008', Eu: '0.002', Gd: '0.004', Dy: '0.002', Y: '0.004',
};
const SPLIT_ION_HIGH_Y: Record<string, string> = {
  La: '0.02', Ce: '0.01', Pr: '0.01', Nd: '0.035', Sm: '0.025', Eu: '0.002', Gd: '0.07', Tb: '0.012',
  Dy: '0.08', Ho: '0.02', Er: '0.06', Tm: '0.009', Yb: '0.04', Lu: '0.007', Y: '0.60',
};
const SPLIT_ION_MEDIUM_Y_EU: Record<string, string> = {
  La: '0.27', Ce: '0.03', Pr: '0.06', Nd: '0.22', Sm: '0.05', Eu: '0.008', Gd: '0.05', Tb: '0.007',
  Dy: '0.04', Ho: '0.008', Er: '0.02', Tm: '0.003', Yb: '0.015', Lu: '0.002', Y: '0.217',
};
const SPLIT_ION_LANTHANUM: Record<string, string> = {
  La: '0.40', Ce: '0.03', Pr: '0.08', Nd: '0.30', Sm: '0.045', Eu: '0.005', Gd: '0.03', Tb: '0.004',
  Dy: '0.015', Ho: '0.003', Er: '0.008', Tm: '0.001', Yb: '0.005', Lu: '0.001', Y: '0.073',
};
const SPLIT_MONAZITE: Record<string, string> = {
  La: '0.22', Ce: '0.46', Pr: '0.05', Nd: '0.19', Sm: '0.03', Eu: '0.001', Gd: '0.02', Tb: '0.001',
  Dy: '0.006', Ho: '0.001', Er: '0.002', Yb: '0.001', Y: '0.018',
};
const SPLIT_XENOTIME: Record<string, string> = {
  La: '0.01', Ce: '0.03', Pr: '0.005', Nd: '0.03', Sm: '0.02', Eu: '0.005', Gd: '0.04', Tb: '0.01',
  Dy: '0.08', Ho: '0.02', Er: '0.06', Tm: '0.01', Yb: '0.06', Lu: '0.01', Y: '0.61',
};
const SPLIT_PRND: Record<string, string> = { Pr: '0.25', Nd: '0.75' };
const SPLIT_NDFEB_HEAVY: Record<string, string> = { Pr: '0.22', Nd: '0.68', Dy: '0.08', Tb: '0.02' };

function single(element: string): Record<string, string> {
  return { [element]: '1' };
}

function oxide(element: string, nameZh: string, nameEn: string, hsCode: string | null): DemoProduct {
  return {
    code: `OX-${element.toUpperCase()}`, nameZh, nameEn, category: 'separation_oxide', hsCode,
    reoContent: '0.990000', elementSplit: single(element),
  };
}

/**
 * HS codes come from data/reference/hs-codes.csv where one fits; 2530902090 (other rare earth
 * ores), 2846101000 (cerium oxide), 2846901200/1300/1700 (La, Nd, Pr oxides) and 3206500000
 * (luminophores) are plausible tariff lines not in that file; null where unsure.
 */
const PRODUCTS: readonly DemoProduct[] = [
  // mineral products (Art. 2–3); imported concentrates count toward smelting-separation control
  { code: 'CONC-BAYAN-OBO', nameZh: '包头混合型稀土精矿（氟碳铈矿-独居石）', nameEn: 'Bayan Obo mixed rare earth concentrate (bastnaesite–monazite)', category: 'mineral_product', hsCode: '2530902090', reoContent: '0.500000', elementSplit: SPLIT_BAYAN_OBO },
  { code: 'CONC-BASTNAESITE', nameZh: '氟碳铈矿精矿', nameEn: 'Bastnaesite concentrate', category: 'mineral_product', hsCode: '2530902090', reoContent: '0.550000', elementSplit: SPLIT_BASTNAESITE },
  { code: 'CONC-ION-HIGH-Y', nameZh: '离子型稀土矿产品（高钇型）', nameEn: 'Ion-adsorption rare earth concentrate, high-yttrium', category: 'mineral_product', hsCode: '2530902010', reoContent: '0.920000', elementSplit: SPLIT_ION_HIGH_Y },
  { code: 'CONC-ION-MEDIUM-Y-EU', nameZh: '离子型稀土矿产品（中钇富铕型）', nameEn: 'Ion-adsorption rare earth concentrate, medium-yttrium europium-rich', category: 'mineral_product', hsCode: '2530902010', reoContent: '0.920000', elementSplit: SPLIT_ION_MEDIUM_Y_EU },
  { code: 'CONC-ION-LA', nameZh: '离子型稀土矿产品（富镧型）', nameEn: 'Ion-adsorption rare earth concentrate, lanthanum-rich', category: 'mineral_product', hsCode: '2530902090', reoContent: '0.920000', elementSplit: SPLIT_ION_LANTHANUM },
  { code: 'CONC-MONAZITE', nameZh: '独居石精矿（进口）', nameEn: 'Monazite concentrate (imported)', category: 'mineral_product', hsCode: '2612200000', reoContent: '0.600000', elementSplit: SPLIT_MONAZITE },
  { code: 'CONC-XENOTIME', nameZh: '磷钇矿精矿（进口）', nameEn: 'Xenotime concentrate (imported)', category: 'mineral_product', hsCode: '2530902010', reoContent: '0.550000', elementSplit: SPLIT_XENOTIME },
  // separation products: oxides
  oxide('La', '氧化镧', 'Lanthanum oxide', '2846901200'),
  oxide('Ce', '氧化铈', 'Cerium oxide', '2846101000'),
  oxide('Pr', '氧化镨', 'Praseodymium oxide (Pr6O11)', '2846901700'),
  oxide('Nd', '氧化钕', 'Neodymium oxide', '2846901300'),
  { code: 'OX-PRND', nameZh: '氧化镨钕', nameEn: 'Praseodymium-neodymium oxide', category: 'separation_oxide', hsCode: null, reoContent: '0.990000', elementSplit: SPLIT_PRND },
  oxide('Sm', '氧化钐', 'Samarium oxide', '2846901940'),
  oxide('Eu', '氧化铕', 'Europium oxide', '2846901400'),
  oxide('Gd', '氧化钆', 'Gadolinium oxide', '2846901930'),
  oxide('Tb', '氧化铽', 'Terbium oxide (Tb4O7)', '2846901600'),
  oxide('Dy', '氧化镝', 'Dysprosium oxide', '2846901500'),
  oxide('Ho', '氧化钬', 'Holmium oxide', '2846901992'),
  oxide('Er', '氧化铒', 'Erbium oxide', '2846901920'),
  oxide('Y', '氧化钇', 'Yttrium oxide', '2846901100'),
  oxide('Lu', '氧化镥', 'Lutetium oxide', '2846901992'),
  oxide('Sc', '氧化钪', 'Scandium oxide', '2846901980'),
  // separation products: salts (invoiced in REO equivalent)
  { code: 'SALT-CARBONATE-MIXED', nameZh: '混合碳酸稀土', nameEn: 'Mixed rare earth carbonate', category: 'separation_salt', hsCode: null, reoContent: '0.450000', elementSplit: SPLIT_BAYAN_OBO },
  { code: 'SALT-CARBONATE-ION', nameZh: '离子型混合碳酸稀土', nameEn: 'Mixed rare earth carbonate (ion-adsorption)', category: 'separation_salt', hsCode: null, reoContent: '0.420000', elementSplit: SPLIT_ION_HIGH_Y },
  { code: 'SALT-CHLORIDE-MIXED', nameZh: '混合氯化稀土', nameEn: 'Mixed rare earth chloride', category: 'separation_salt', hsCode: null, reoContent: '0.460000', elementSplit: SPLIT_BAYAN_OBO },
  { code: 'SALT-OXALATE-MIXED', nameZh: '混合草酸稀土', nameEn: 'Mixed rare earth oxalate', category: 'separation_salt', hsCode: null, reoContent: '0.440000', elementSplit: SPLIT_ION_MEDIUM_Y_EU },
  // separation products: other compounds (feed for metal smelting)
  { code: 'COMP-PRND-FLUORIDE', nameZh: '氟化镨钕', nameEn: 'Praseodymium-neodymium fluoride', category: 'separation_other_compound', hsCode: null, reoContent: '0.840000', elementSplit: SPLIT_PRND },
  { code: 'COMP-DY-FLUORIDE', nameZh: '氟化镝', nameEn: 'Dysprosium fluoride', category: 'separation_other_compound', hsCode: null, reoContent: '0.849000', elementSplit: single('Dy') },
  // metals: reoContent is the rare earth metal fraction ('1.000000'); REO equivalent = mass × metal_to_oxide at lot level
  { code: 'MET-PRND', nameZh: '镨钕金属', nameEn: 'Praseodymium-neodymium metal', category: 'metal', hsCode: null, reoContent: '1.000000', elementSplit: SPLIT_PRND },
  { code: 'MET-ND', nameZh: '金属钕', nameEn: 'Neodymium metal', category: 'metal', hsCode: '2805301100', reoContent: '1.000000', elementSplit: single('Nd') },
  { code: 'MET-DY', nameZh: '金属镝', nameEn: 'Dysprosium metal', category: 'metal', hsCode: '2805301200', reoContent: '1.000000', elementSplit: single('Dy') },
  { code: 'MET-TB', nameZh: '金属铽', nameEn: 'Terbium metal', category: 'metal', hsCode: '2805301300', reoContent: '1.000000', elementSplit: single('Tb') },
  { code: 'MET-SM', nameZh: '金属钐', nameEn: 'Samarium metal', category: 'metal', hsCode: '2805301910', reoContent: '1.000000', elementSplit: single('Sm') },
  { code: 'MET-LACE', nameZh: '镧铈金属', nameEn: 'Lanthanum-cerium metal', category: 'metal', hsCode: null, reoContent: '1.000000', elementSplit: { La: '0.35', Ce: '0.65' } },
  // alloys: reoContent is the rare earth metal fraction, converted like metals
  { code: 'ALLOY-DYFE', nameZh: '镝铁合金', nameEn: 'Dysprosium-iron alloy', category: 'alloy', hsCode: null, reoContent: '0.800000', elementSplit: single('Dy') },
  { code: 'ALLOY-HOFE', nameZh: '钬铁合金', nameEn: 'Holmium-iron alloy', category: 'alloy', hsCode: null, reoContent: '0.800000', elementSplit: single('Ho') },
  { code: 'ALLOY-NDFEB-STRIP', nameZh: '钕铁硼速凝合金片', nameEn: 'NdFeB strip-cast alloy flakes', category: 'alloy', hsCode: null, reoContent: '0.310000', elementSplit: SPLIT_NDFEB_HEAVY },
  // magnets: reoContent in REO equivalent (about 31 % rare earth metal × metal_to_oxide)
  { code: 'MAG-NDFEB-SINTERED', nameZh: '烧结钕铁硼永磁体', nameEn: 'Sintered NdFeB permanent magnet', category: 'magnet', hsCode: '8505111000', reoContent: '0.365000', elementSplit: SPLIT_PRND },
  { code: 'MAG-NDFEB-SINTERED-HRE', nameZh: '烧结钕铁硼永磁体（含镝、铽）', nameEn: 'Sintered NdFeB permanent magnet containing Dy and Tb', category: 'magnet', hsCode: '8505111000', reoContent: '0.364000', elementSplit: SPLIT_NDFEB_HEAVY },
  { code: 'MAG-NDFEB-BONDED', nameZh: '粘结钕铁硼永磁体', nameEn: 'Bonded NdFeB permanent magnet', category: 'magnet', hsCode: '8505111000', reoContent: '0.290000', elementSplit: { Pr: '0.05', Nd: '0.95' } },
  { code: 'MAG-SMCO', nameZh: '钐钴永磁体', nameEn: 'Samarium-cobalt permanent magnet', category: 'magnet', hsCode: '8505111000', reoContent: '0.290000', elementSplit: single('Sm') },
  { code: 'MAG-NDFEB-OFFCUTS', nameZh: '钕铁硼边角料（回收原料）', nameEn: 'NdFeB offcuts (recycling feed)', category: 'magnet', hsCode: null, reoContent: '0.350000', elementSplit: { Pr: '0.24', Nd: '0.72', Dy: '0.03', Tb: '0.01' } },
  // other functional materials
  { code: 'FM-POLISHING-CE', nameZh: '铈基稀土抛光粉', nameEn: 'Cerium-based rare earth polishing powder', category: 'other_functional_material', hsCode: null, reoContent: '0.900000', elementSplit: { La: '0.35', Ce: '0.65' } },
  { code: 'FM-CATALYST-FCC', nameZh: '稀土催化裂化催化剂', nameEn: 'Rare earth fluid catalytic cracking catalyst', category: 'other_functional_material', hsCode: null, reoContent: '0.030000', elementSplit: { La: '0.9', Ce: '0.1' } },
  { code: 'FM-CATALYST-CEZR', nameZh: '铈锆固溶体（机动车尾气催化材料）', nameEn: 'Ceria-zirconia solid solution (vehicle exhaust catalyst material)', category: 'other_functional_material', hsCode: null, reoContent: '0.400000', elementSplit: { La: '0.05', Ce: '0.85', Pr: '0.05', Nd: '0.05' } },
  { code: 'FM-PHOSPHOR-YAG', nameZh: '钇铝石榴石荧光粉', nameEn: 'Yttrium aluminium garnet phosphor', category: 'other_functional_material', hsCode: '3206500000', reoContent: '0.570000', elementSplit: { Ce: '0.02', Gd: '0.01', Y: '0.97' } },
];

// ---------------------------------------------------------------------------------------------
// Building the dataset
// ---------------------------------------------------------------------------------------------

const SEED = 0x59_74_74_62; // 'Yttb'

interface BuiltEnterprise {
  key: string;
  enterprise: DemoEnterprise;
}

function buildProducers(random: Random, issue: (division: string) => string): { built: BuiltEnterprise[]; designations: DemoDesignation[] } {
  const built: BuiltEnterprise[] = [];
  const designations: DemoDesignation[] = [];
  for (const spec of PRODUCERS) {
    if (division(spec.county).level !== 'county') throw new Error(`${spec.key}: ${spec.county} is not a county`);
    const creditCode = issue(spec.county);
    const licences: DemoLicence[] = [];
    if (spec.mining !== null) licences.push(miningLicence(random));
    licences.push(safetyLicence(random, spec.county, spec.mining !== null));
    if (spec.separation) licences.push(pollutantDischargePermit(random, creditCode, spec.county));
    if (spec.expiredLicence) {
      const { kind, validTo } = spec.expiredLicence;
      const licence = licences.find((candidate) => candidate.kind === kind);
      if (!licence) throw new Error(`${spec.key} has no ${kind} to expire`);
      licence.validTo = validTo;
      if (licence.validFrom > validTo) licence.validFrom = `${Number(validTo.slice(0, 4)) - 3}${validTo.slice(4)}`;
    }
    const activities: Activity[] = [];
    if (spec.mining !== null) activities.push('mining');
    if (spec.separation) activities.push('smelting_separation');
    built.push({
      key: spec.key,
      enterprise: {
        creditCode, nameZh: spec.nameZh, nameEn: spec.nameEn, groupCode: spec.groupCode,
        domicileDivisionCode: spec.county, activities, capacityTonnesReo: spec.capacity, licences,
      },
    });
    if (spec.mining !== null) {
      designations.push(spec.expiredDesignation
        ? { creditCode, activity: 'mining', oreKind: spec.mining, designatedBy: 'MIIT,MNR', documentNo: '工信部联原〔2021〕88号', validFrom: '2021-07-01', validTo: '2025-06-30' }
        : { creditCode, activity: 'mining', oreKind: spec.mining, designatedBy: 'MIIT,MNR', documentNo: '工信部联原〔2024〕15号', validFrom: '2024-03-15', validTo: '2028-12-31' });
    }
    if (spec.separation) {
      designations.push({ creditCode, activity: 'smelting_separation', oreKind: null, designatedBy: 'MIIT,MNR', documentNo: '工信部联原〔2024〕16号', validFrom: '2024-03-15', validTo: '2028-12-31' });
    }
  }
  return { built, designations };
}

function buildDownstream(random: Random, issue: (division: string) => string): BuiltEnterprise[] {
  const brands = shuffled(random, BRANDS);
  const built: BuiltEnterprise[] = [];
  for (const [county, template, count, firstGroup] of DOWNSTREAM) {
    if (division(county).level !== 'county') throw new Error(`downstream ${county} is not a county`);
    const spec = TEMPLATES[template];
    const [placeZh, placeEn] = placeOf(county);
    for (let i = 1; i <= count; i++) {
      const brand = brands.shift();
      if (!brand) throw new Error('ran out of demo brand names');
      // no 磁磁: a brand ending in 磁 takes a variant that does not start with it
      const variants = spec.variants.filter(([zh]) => zh[0] !== brand[0].at(-1));
      const [variantZh, variantEn] = pick(random, variants.length > 0 ? variants : spec.variants);
      const activities = new Set(spec.activities);
      if (spec.extra && random() < spec.extra[1]) activities.add(spec.extra[0]);
      const capacity = spec.capacity === null
        ? null
        : String(spec.capacity[0] + spec.capacity[2] * randomInt(random, 0, Math.floor((spec.capacity[1] - spec.capacity[0]) / spec.capacity[2])));
      const creditCode = issue(county);
      built.push({
        key: `${county}-${template}-${i}`,
        enterprise: {
          creditCode,
          nameZh: `${placeZh}${brand[0]}${variantZh}`,
          nameEn: `${placeEn} ${brand[1]} ${variantEn}`,
          groupCode: i === 1 ? firstGroup ?? null : null,
          domicileDivisionCode: county,
          activities: inActivityOrder(activities),
          capacityTonnesReo: capacity,
          licences: spec.pollutantPermit ? [pollutantDischargePermit(random, creditCode, county)] : [],
        },
      });
    }
  }
  return built;
}

function buildDepartments(enterprises: readonly DemoEnterprise[]): DemoDepartment[] {
  const provinces = [...DEMO_DIVISIONS.values()].filter(
    (d) => d.level === 'province' && !MAINLAND_EXCLUDED_PREFIXES.includes(d.code.slice(0, 2)),
  );
  const hosting = new Set<string>();
  for (const { domicileDivisionCode } of enterprises) {
    hosting.add(domicileDivisionCode);
    const prefecture = prefectureOf(domicileDivisionCode);
    if (prefecture) hosting.add(prefecture.code);
  }
  return [
    ...NATIONAL_DEPARTMENTS,
    ...provinces.flatMap(provinceDepartments),
    ...[...hosting].sort().map(division).flatMap(localDepartments),
  ];
}

function buildUsers(enterpriseByKey: ReadonlyMap<string, DemoEnterprise>): DemoUser[] {
  const enterprise = (key: string): DemoEnterprise => {
    const found = enterpriseByKey.get(key);
    if (!found) throw new Error(`no demo enterprise ${key}`);
    return found;
  };
  const department = (username: string, displayName: string, role: Role, departmentCode: string): DemoUser => ({
    username, password: DEMO_PASSWORD, displayName, role, departmentCode, enterpriseCreditCode: null,
  });
  const staff = (username: string, displayName: string, role: Role, key: string): DemoUser => ({
    username, password: DEMO_PASSWORD, displayName: `${displayName}（${enterprise(key).nameZh}）`, role,
    departmentCode: null, enterpriseCreditCode: enterprise(key).creditCode,
  });
  return [
    department('admin', '系统管理员（工业和信息化部原材料工业司）', 'ministry_admin', 'MIIT'),
    department('reviewer', '审核员（工业和信息化部原材料工业司）', 'ministry_reviewer', 'MIIT'),
    department('mnr', '审核员（自然资源部）', 'ministry_reviewer', 'MNR'),
    department('ndrc', '审核员（国家发展和改革委员会）', 'ministry_reviewer', 'NDRC'),
    department('nmg', '内蒙古自治区工业和信息化厅 稀土管理', 'local_official', 'IIT-150000'),
    department('jiangxi', '江西省工业和信息化厅 稀土管理', 'local_official', 'IIT-360000'),
    department('baotou', '包头市工业和信息化局 稀土管理', 'local_official', 'IIT-150200'),
    department('xunwu', '寻乌县工业和信息化局 稀土管理', 'local_official', 'IIT-360734'),
    department('longnan', '龙南市工业和信息化局 稀土管理', 'local_official', 'IIT-360783'),
    staff('xunwu-mine', '操作员', 'enterprise_operator', 'xunwu-mine'),
    staff('xunwu-mine-reporter', '填报员', 'enterprise_reporter', 'xunwu-mine'),
    staff('baotou-sep', '操作员', 'enterprise_operator', 'baotou-sep'),
    staff('longnan-sep', '操作员', 'enterprise_operator', 'longnan-sep'),
    staff('ningbo-magnet', '操作员', 'enterprise_operator', '330212-magnet-1'),
    department('mofcom', '商务部 出口许可证数据交换', 'exchange_system', 'MOFCOM'),
    department('customs', '海关总署 报关单数据交换', 'exchange_system', 'GACC'),
    department('taxation', '国家税务总局 增值税专用发票数据交换', 'exchange_system', 'STA'),
    department('auditor', '审计员（工业和信息化部）', 'auditor', 'MIIT'),
  ];
}

/**
 * Builds the demo dataset. Deterministic: every call returns equal, freshly allocated data.
 * @example buildDemoDataset().users.find((u) => u.username === 'xunwu')?.departmentCode // 'IIT-360734'
 */
export function buildDemoDataset(): DemoDataset {
  const random = mulberry32(SEED);
  const issue = creditCodeIssuer(random);
  const producers = buildProducers(random, issue);
  const downstream = buildDownstream(random, issue);
  const all = [...producers.built, ...downstream];
  const enterprises = all.map(({ enterprise }) => enterprise);
  return {
    departments: buildDepartments(enterprises).map((d) => ({ ...d })),
    groups: GROUPS.map((g) => ({ ...g })),
    enterprises,
    designations: producers.designations,
    products: PRODUCTS.map((p) => ({ ...p, elementSplit: p.elementSplit === null ? null : { ...p.elementSplit } })),
    users: buildUsers(new Map(all.map(({ key, enterprise }) => [key, enterprise]))),
  };
}
