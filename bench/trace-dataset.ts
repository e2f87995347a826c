/**
 * A deterministic national-scale traceability dataset for the trace benchmark: a year (to date)
 * of rare earth flows over the demo registry, as EPCIS 2.0 events in the vocabulary of
 * docs/traceability.md, packed into single-enterprise documents of 1,000 events in an order the
 * capture rules accept.
 *
 * Seven tiers: (1) mining at registered mines, (2) imports of monazite and xenotime, (3) smelting
 * separation, (4) shipments and receipts between enterprises, (5) metal smelting and alloying,
 * (6) magnet and functional-material making (with recycling of magnet offcuts), (7) exports.
 *
 * Pure: the input is a snapshot of the registry (enterprises, their designations and quota
 * balances, the catalogue's REO contents); the same input and seed give the same events. The
 * generator checks its own invariants as it goes (nothing shipped or used beyond what is held,
 * outputs' REO within inputs' REO, receipts equal to shipments, mining and separation within the
 * remaining quota) and replays the documents in capture order against a model of the rules
 * before it returns (`replayCheck`).
 */
import { CREDIT_CODE_ALPHABET, creditCodeCheckCharacter, organisationCodeCheckCharacter } from '../src/domain/credit-code.ts';
import { locationUri, mintedLotUri, partyUri } from '../src/domain/trace/ids.ts';
import { mulberry32, pick, randomInt, type Random } from '../src/modules/demo/demo.dataset.ts';

// ---------------------------------------------------------------------------------------------
// Input and output shapes
// ---------------------------------------------------------------------------------------------

export type OreKind = 'rock_type' | 'ion_adsorption';

export interface RegistryEnterprise {
  id: string;
  creditCode: string;
  nameZh: string;
  nameEn: string;
  divisionCode: string;
  activities: string[];
  /** Ore kind of a current mining designation (with licences in force), or null. */
  mining: OreKind | null;
  /** A current smelting-separation designation (with licences in force). */
  separation: boolean;
  /** REO grams the enterprise may still consume this year (allocated − consumed), per indicator. */
  miningBudgetGrams: number;
  separationBudgetGrams: number;
}

/** A catalogue product with the REO content the server computes for it (ppm; metals converted to oxide). */
export interface CatalogueProduct { code: string; category: string; reoPpm: number; elementSplit: Record<string, string> | null }

export interface DatasetInput {
  seed: number;
  /** At least this many events (the generator scales volumes until it gets there). */
  targetEvents: number;
  year: number;
  /** YYYY-MM-DD, China time, inclusive. */
  firstDay: string;
  lastDay: string;
  enterprises: RegistryEnterprise[];
  products: CatalogueProduct[];
  eventsPerDocument?: number;
}

export type Role =
  | 'importer' | 'miner' | 'separator' | 'oxide_trader' | 'metal' | 'alloy' | 'magnet' | 'polishing' | 'catalyst' | 'phosphor' | 'recycler' | 'exporter' | 'idle';

/** Level in the supply chain: every shipment goes from a lower level to a higher one (so documents never wait on each other in a cycle). */
const LEVEL: Record<Role, number> = {
  importer: 0, miner: 1, separator: 2, oxide_trader: 3, metal: 4, alloy: 5, magnet: 6, polishing: 6, catalyst: 6, phosphor: 6, recycler: 7, exporter: 8, idle: 9,
};

export interface Mine { uri: string; enterprise: number; siteCode: string; oreKind: OreKind; product: string; nameZh: string; nameEn: string; divisionCode: string }

export interface Lot { producer: number; product: string; number: string; ppm: number; assay: { treoPercent: string; elements: Record<string, string> } | null }

export type EventKind = 'mine' | 'import' | 'transform' | 'ship' | 'receive' | 'export';

export interface Ev {
  kind: EventKind;
  enterprise: number;
  /** Position in the enterprise's own stream. */
  seq: number;
  time: number;
  lots: number[];
  grams: number[];
  outLots?: number[];
  outGrams?: number[];
  /** Counterparty enterprise (destination of a shipment, source of a receipt). */
  party?: number;
  invoice?: string;
  mine?: number;
  country?: string;
  customs?: string;
  /** For a receipt: the shipping event it answers (enterprise, seq). */
  dep?: { enterprise: number; seq: number };
}

export interface Doc { enterprise: number; index: number; from: number; to: number }

export interface Dataset {
  input: DatasetInput;
  roles: Role[];
  mines: Mine[];
  lots: Lot[];
  /** Each enterprise's events in its own chronological order. */
  streams: Ev[][];
  /** Documents in capture order. */
  docs: Doc[];
  stats: DatasetStats;
}

export interface DatasetStats {
  events: number; documents: number; fullDocuments: number; enterprisesWithEvents: number;
  byKind: Record<EventKind, number>; byTier: Record<string, number>; lots: number; edges: number;
  minedReoTonnes: number; importedReoTonnes: number; exportedReoTonnes: number; scale: number;
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------------------------

const int = randomInt;

/** A Poisson-distributed count (Knuth; rates here are small). */
function poisson(r: Random, rate: number): number {
  if (rate <= 0) return 0;
  if (rate > 30) return Math.max(0, Math.round(rate + Math.sqrt(rate) * (r() + r() + r() - 1.5) * 2));
  const l = Math.exp(-rate);
  let k = 0;
  let p = 1;
  do { k++; p *= r(); } while (p > l);
  return k - 1;
}

function invariant(condition: unknown, message: () => string): asserts condition {
  if (!condition) throw new Error(`trace dataset invariant broken: ${message()}`);
}

// ---------------------------------------------------------------------------------------------
// Identifiers
// ---------------------------------------------------------------------------------------------

export const lotUri = (creditCode: string, lot: Lot) => mintedLotUri({ creditCode, productCode: lot.product, lotNumber: lot.number });

// ---------------------------------------------------------------------------------------------
// Extra downstream enterprises (the demo registers 137; the benchmark wants 150 or more)
// ---------------------------------------------------------------------------------------------

export interface ExtraEnterprise { creditCode: string; nameZh: string; nameEn: string; domicileDivisionCode: string; activities: string[]; capacityTonnesReo: string | null }

const EXTRA_SPECS: readonly [county: string, placeZh: string, placeEn: string, kind: 'magnet' | 'metal' | 'exporter' | 'trader' | 'alloy', count: number][] = [
  ['330206', '宁波', 'Ningbo', 'magnet', 4], ['330211', '宁波', 'Ningbo', 'magnet', 2], ['360702', '赣州', 'Ganzhou', 'magnet', 2],
  ['150207', '包头', 'Baotou', 'magnet', 2], ['150204', '包头', 'Baotou', 'metal', 2], ['360704', '赣州', 'Ganzhou', 'metal', 2],
  ['120116', '天津', 'Tianjin', 'exporter', 2], ['310115', '上海', 'Shanghai', 'exporter', 2], ['440305', '深圳', 'Shenzhen', 'exporter', 1],
  ['320214', '无锡', 'Wuxi', 'trader', 2], ['511111', '乐山', 'Leshan', 'alloy', 1], ['350211', '厦门', 'Xiamen', 'magnet', 2],
];
const EXTRA_BRANDS: readonly [string, string][] = [
  ['瑞磁', 'Ruici Bench'], ['承磁', 'Chengci'], ['拓磁', 'Tuoci'], ['屹磁', 'Yici Bench'], ['衡磁', 'Hengci'], ['岳磁', 'Yueci'],
  ['江磁', 'Jiangci'], ['章磁', 'Zhangci'], ['钢磁', 'Gangci'], ['北磁', 'Beici'], ['青冶', 'Qingye'], ['昆冶', 'Kunye'],
  ['赣冶', 'Ganye'], ['贡冶', 'Gongye'], ['津海', 'Jinhai Bench'], ['滨港', 'Bingang'], ['沪远', 'Huyuan'], ['浦远', 'Puyuan'],
  ['鹏远', 'Pengyuan'], ['锡通', 'Xitong'], ['锡达', 'Xida'], ['岷合', 'Minhe'], ['鹭磁', 'Luci'], ['集磁', 'Jici'],
];
const EXTRA_KIND: Record<string, { zh: string; en: string; activities: string[]; capacity: string | null }> = {
  magnet: { zh: '磁材科技有限公司', en: 'Magnet Technology Co., Ltd.', activities: ['magnet_and_materials', 'export'], capacity: '2000' },
  metal: { zh: '稀土金属材料有限公司', en: 'Rare Earth Metal Materials Co., Ltd.', activities: ['metal_smelting'], capacity: '3000' },
  alloy: { zh: '稀土合金材料有限公司', en: 'Rare Earth Alloy Materials Co., Ltd.', activities: ['metal_smelting'], capacity: '1500' },
  exporter: { zh: '稀土进出口有限公司', en: 'Rare Earth Import and Export Co., Ltd.', activities: ['trading', 'export'], capacity: null },
  trader: { zh: '稀土材料贸易有限公司', en: 'Rare Earth Materials Trading Co., Ltd.', activities: ['trading'], capacity: null },
};

/** Twenty-four more downstream enterprises, with valid credit codes; registered by the benchmark through the registry service. */
export function extraEnterprises(seed = 0x7472_6163): ExtraEnterprise[] {
  const r = mulberry32(seed);
  const out: ExtraEnterprise[] = [];
  let brand = 0;
  for (const [county, placeZh, placeEn, kind, count] of EXTRA_SPECS) {
    for (let i = 0; i < count; i++) {
      const [bZh, bEn] = EXTRA_BRANDS[brand++]!;
      let body = 'MA';
      while (body.length < 8) body += pick(r, [...CREDIT_CODE_ALPHABET]);
      const body17 = `91${county}${body}${organisationCodeCheckCharacter(body)}`;
      const spec = EXTRA_KIND[kind]!;
      out.push({
        creditCode: body17 + creditCodeCheckCharacter(body17), nameZh: `${placeZh}${bZh}${spec.zh}`, nameEn: `${placeEn} ${bEn} ${spec.en}`,
        domicileDivisionCode: county, activities: spec.activities, capacityTonnesReo: spec.capacity,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Flows: what each role makes of what, and where products go
// ---------------------------------------------------------------------------------------------

interface Recipe {
  /** Main inputs: a batch takes lots of one of these products. */
  inputs: readonly string[];
  /** Optional add-ins: one lot of one of these is added when held. */
  extras?: readonly string[];
  /** Output products with their share of the output REO; an output is made when its share × yield is worth a lot. */
  outputs: readonly (readonly [string, number])[];
  /** Outputs when an add-in went in (magnets with Dy/Tb). */
  outputsWithExtra?: readonly (readonly [string, number])[];
  batch: readonly [min: number, max: number];
  yield: number;
}

const SEPARATION: Record<string, Recipe> = {
  'CONC-BAYAN-OBO': { inputs: ['CONC-BAYAN-OBO'], outputs: [['OX-CE', 0.50], ['OX-LA', 0.26], ['OX-PRND', 0.21], ['SALT-CARBONATE-MIXED', 0.03]], batch: [3, 6], yield: 0.96 },
  'CONC-BASTNAESITE': { inputs: ['CONC-BASTNAESITE'], outputs: [['OX-CE', 0.49], ['OX-LA', 0.33], ['OX-PRND', 0.16], ['SALT-CHLORIDE-MIXED', 0.02]], batch: [3, 6], yield: 0.96 },
  'CONC-ION-HIGH-Y': { inputs: ['CONC-ION-HIGH-Y'], outputs: [['OX-Y', 0.60], ['OX-DY', 0.08], ['OX-GD', 0.07], ['OX-ER', 0.06], ['OX-PRND', 0.045], ['OX-TB', 0.012], ['SALT-OXALATE-MIXED', 0.133]], batch: [3, 6], yield: 0.95 },
  'CONC-ION-MEDIUM-Y-EU': { inputs: ['CONC-ION-MEDIUM-Y-EU'], outputs: [['OX-PRND', 0.28], ['OX-LA', 0.27], ['OX-Y', 0.217], ['OX-SM', 0.05], ['OX-DY', 0.04], ['OX-EU', 0.008], ['SALT-OXALATE-MIXED', 0.135]], batch: [3, 6], yield: 0.95 },
  'CONC-ION-LA': { inputs: ['CONC-ION-LA'], outputs: [['OX-LA', 0.40], ['OX-PRND', 0.38], ['OX-Y', 0.073], ['OX-SM', 0.045], ['SALT-OXALATE-MIXED', 0.102]], batch: [3, 6], yield: 0.95 },
  'CONC-MONAZITE': { inputs: ['CONC-MONAZITE'], outputs: [['OX-CE', 0.46], ['OX-PRND', 0.24], ['OX-LA', 0.22], ['OX-SM', 0.03], ['SALT-CHLORIDE-MIXED', 0.05]], batch: [2, 4], yield: 0.95 },
  'CONC-XENOTIME': { inputs: ['CONC-XENOTIME'], outputs: [['OX-Y', 0.61], ['OX-DY', 0.08], ['OX-ER', 0.06], ['OX-GD', 0.04], ['SALT-OXALATE-MIXED', 0.21]], batch: [2, 4], yield: 0.95 },
};

const RECIPES: Partial<Record<Role, readonly Recipe[]>> = {
  separator: Object.values(SEPARATION),
  metal: [
    { inputs: ['OX-PRND'], outputs: [['MET-PRND', 1]], batch: [2, 4], yield: 0.95 },
    { inputs: ['OX-ND'], outputs: [['MET-ND', 1]], batch: [2, 4], yield: 0.95 },
    { inputs: ['OX-DY'], outputs: [['MET-DY', 1]], batch: [2, 3], yield: 0.95 },
    { inputs: ['OX-TB'], outputs: [['MET-TB', 1]], batch: [2, 3], yield: 0.95 },
    { inputs: ['OX-SM'], outputs: [['MET-SM', 1]], batch: [2, 3], yield: 0.95 },
    { inputs: ['OX-LA', 'OX-CE'], outputs: [['MET-LACE', 1]], batch: [2, 4], yield: 0.95 },
  ],
  alloy: [
    { inputs: ['MET-PRND'], extras: ['MET-DY', 'MET-TB'], outputs: [['ALLOY-NDFEB-STRIP', 1]], batch: [2, 3], yield: 0.97 },
    { inputs: ['MET-DY'], outputs: [['ALLOY-DYFE', 1]], batch: [2, 3], yield: 0.97 },
  ],
  magnet: [
    { inputs: ['MET-PRND', 'ALLOY-NDFEB-STRIP'], extras: ['MET-DY', 'MET-TB', 'ALLOY-DYFE'], outputs: [['MAG-NDFEB-SINTERED', 0.9], ['MAG-NDFEB-OFFCUTS', 0.1]], outputsWithExtra: [['MAG-NDFEB-SINTERED-HRE', 0.9], ['MAG-NDFEB-OFFCUTS', 0.1]], batch: [1, 3], yield: 0.96 },
    { inputs: ['MET-ND'], outputs: [['MAG-NDFEB-BONDED', 1]], batch: [1, 3], yield: 0.96 },
    { inputs: ['MET-SM'], outputs: [['MAG-SMCO', 1]], batch: [1, 3], yield: 0.96 },
  ],
  polishing: [{ inputs: ['OX-CE', 'OX-LA'], outputs: [['FM-POLISHING-CE', 1]], batch: [1, 3], yield: 0.97 }],
  catalyst: [
    { inputs: ['OX-CE'], outputs: [['FM-CATALYST-CEZR', 1]], batch: [1, 3], yield: 0.97 },
    { inputs: ['OX-LA'], outputs: [['FM-CATALYST-FCC', 1]], batch: [1, 2], yield: 0.97 },
  ],
  phosphor: [{ inputs: ['OX-Y'], extras: ['OX-EU', 'OX-GD'], outputs: [['FM-PHOSPHOR-YAG', 1]], batch: [1, 3], yield: 0.97 }],
  recycler: [{ inputs: ['MAG-NDFEB-OFFCUTS'], outputs: [['OX-PRND', 1]], batch: [2, 5], yield: 0.9 }],
};

/** Where each product goes from each role: [destination role or 'export', weight]. */
type Route = readonly (readonly [Role | 'export', number])[];
const ROUTES: Partial<Record<Role, Readonly<Record<string, Route>>>> = {
  importer: { 'CONC-MONAZITE': [['separator', 1]], 'CONC-XENOTIME': [['separator', 1]] },
  miner: Object.fromEntries(['CONC-BAYAN-OBO', 'CONC-BASTNAESITE', 'CONC-ION-HIGH-Y', 'CONC-ION-MEDIUM-Y-EU', 'CONC-ION-LA'].map((p) => [p, [['separator', 1]] as Route])),
  separator: {
    'OX-PRND': [['metal', 0.8], ['oxide_trader', 0.2]], 'OX-ND': [['metal', 1]], 'OX-DY': [['metal', 0.8], ['oxide_trader', 0.2]],
    'OX-TB': [['metal', 1]], 'OX-SM': [['metal', 1]], 'OX-LA': [['polishing', 0.3], ['catalyst', 0.3], ['metal', 0.2], ['exporter', 0.2]],
    'OX-CE': [['polishing', 0.4], ['catalyst', 0.3], ['metal', 0.1], ['oxide_trader', 0.2]], 'OX-Y': [['phosphor', 0.7], ['exporter', 0.3]],
    'OX-EU': [['phosphor', 1]], 'OX-GD': [['phosphor', 0.6], ['exporter', 0.4]], 'OX-ER': [['exporter', 1]],
    'SALT-CARBONATE-MIXED': [['exporter', 1]], 'SALT-CHLORIDE-MIXED': [['exporter', 1]], 'SALT-OXALATE-MIXED': [['exporter', 1]],
  },
  oxide_trader: { 'OX-PRND': [['metal', 1]], 'OX-DY': [['metal', 1]], 'OX-CE': [['polishing', 0.5], ['catalyst', 0.5]] },
  metal: { 'MET-PRND': [['magnet', 0.7], ['alloy', 0.3]], 'MET-ND': [['magnet', 1]], 'MET-DY': [['magnet', 0.5], ['alloy', 0.5]], 'MET-TB': [['magnet', 0.6], ['alloy', 0.4]], 'MET-SM': [['magnet', 1]], 'MET-LACE': [['exporter', 1]] },
  alloy: { 'ALLOY-NDFEB-STRIP': [['magnet', 1]], 'ALLOY-DYFE': [['magnet', 1]] },
  magnet: { 'MAG-NDFEB-SINTERED': [['exporter', 1]], 'MAG-NDFEB-SINTERED-HRE': [['exporter', 1]], 'MAG-NDFEB-BONDED': [['exporter', 1]], 'MAG-SMCO': [['exporter', 1]], 'MAG-NDFEB-OFFCUTS': [['recycler', 1]] },
  polishing: { 'FM-POLISHING-CE': [['exporter', 1]] },
  catalyst: { 'FM-CATALYST-CEZR': [['exporter', 1]], 'FM-CATALYST-FCC': [['exporter', 1]] },
  phosphor: { 'FM-PHOSPHOR-YAG': [['exporter', 1]] },
  recycler: { 'OX-PRND': [['exporter', 1]] },
};

const EXPORT_COUNTRIES = ['DE', 'JP', 'US', 'KR', 'VN', 'IN', 'IT', 'FR', 'TH', 'MX', 'NL', 'PL'] as const;
const IMPORTS: readonly (readonly [product: string, countries: readonly string[]])[] = [['CONC-MONAZITE', ['MM', 'LA', 'MG', 'VN', 'NG', 'TZ']], ['CONC-XENOTIME', ['MY', 'MM', 'BR']]];

function roleOf(e: RegistryEnterprise): Role {
  const a = new Set(e.activities);
  if (e.separation && e.separationBudgetGrams > 0) return 'separator';
  if (e.mining && e.miningBudgetGrams > 0) return 'miner';
  if (a.has('mining') || a.has('smelting_separation')) return 'idle'; // designation, licence or quota lacking: no flows
  if (a.has('metal_smelting')) return /alloy/i.test(e.nameEn) ? 'alloy' : 'metal';
  if (a.has('magnet_and_materials')) {
    if (/polishing/i.test(e.nameEn)) return 'polishing';
    if (/cataly/i.test(e.nameEn)) return 'catalyst';
    if (/luminescent|phosphor/i.test(e.nameEn)) return 'phosphor';
    return 'magnet';
  }
  if (a.has('recycling')) return 'recycler';
  if (a.has('import') && !a.has('export')) return 'importer';
  if (a.has('export')) return 'exporter';
  if (a.has('trading')) return 'oxide_trader';
  return 'idle';
}

/** Which mineral product a mine yields, by the county's deposit. */
function mineProduct(divisionCode: string, oreKind: OreKind, r: Random): string {
  if (oreKind === 'rock_type') return divisionCode.startsWith('1502') ? 'CONC-BAYAN-OBO' : 'CONC-BASTNAESITE';
  if (divisionCode === '360783') return 'CONC-ION-HIGH-Y';
  if (divisionCode === '360734') return 'CONC-ION-MEDIUM-Y-EU';
  return pick(r, ['CONC-ION-LA', 'CONC-ION-MEDIUM-Y-EU', 'CONC-ION-HIGH-Y']);
}

/** Separators a miner sells to: those in its province, else any. */
function nearestSeparators(from: RegistryEnterprise, separators: readonly number[], all: readonly RegistryEnterprise[]): number[] {
  const province = from.divisionCode.slice(0, 2);
  const sameProvince = separators.filter((s) => all[s]!.divisionCode.startsWith(province));
  return sameProvince.length ? sameProvince : [...separators];
}

// ---------------------------------------------------------------------------------------------
// The simulation
// ---------------------------------------------------------------------------------------------

const DAY = 86_400_000;
const CHINA = 8 * 3600_000;
const dayStart = (iso: string) => Date.parse(`${iso}T00:00:00Z`) - CHINA;

interface Holding { grams: number; since: number }
interface Transit { from: number; to: number; ship: Ev; arrives: number }

/** Daily mining lots per miner at scale 1 (a Bayan Obo-size budget mines about this many, small ones fewer). */
const BASE_MINING_LOTS_PER_DAY = 70;
const BASE_IMPORT_LOTS_PER_DAY = 3;
/** Imported monazite and xenotime in a year, t REO (whatever the scale: more lots, smaller bags). */
const IMPORT_REO_TONNES = 12_000;
const MAX_EVENTS_PER_DAY = 2_600; // 06:00 + n × 20 s stays within the day

interface SimResult { roles: Role[]; mines: Mine[]; lots: Lot[]; streams: Ev[][] }

function simulate(input: DatasetInput, scale: number): SimResult {
  const r = mulberry32(input.seed);
  const ents = input.enterprises;
  const products = new Map(input.products.map((p) => [p.code, p]));
  const ppmOf = (code: string) => {
    const p = products.get(code);
    invariant(p, () => `product ${code} is not in the catalogue`);
    return p.reoPpm;
  };
  const reo = (grams: number, ppm: number) => {
    invariant(grams * ppm < Number.MAX_SAFE_INTEGER, () => `${grams} g × ${ppm} ppm overflows exact arithmetic`);
    return Math.floor((grams * ppm) / 1_000_000);
  };
  const roles = ents.map(roleOf);
  const byRole = new Map<Role, number[]>();
  roles.forEach((role, i) => { const l = byRole.get(role); if (l) l.push(i); else byRole.set(role, [i]); });
  const ofRole = (role: Role) => byRole.get(role) ?? [];

  // Mines: one to three per mining enterprise, in its county.
  const mines: Mine[] = [];
  const minesOf = new Map<number, number[]>();
  for (const i of ofRole('miner').concat(ofRole('separator').filter((i) => ents[i]!.mining && ents[i]!.miningBudgetGrams > 0))) {
    const e = ents[i]!;
    const n = e.mining === 'rock_type' ? int(r, 1, 2) : int(r, 2, 3);
    for (let k = 1; k <= n; k++) {
      const siteCode = `MINE-${k}`;
      mines.push({
        uri: locationUri(e.creditCode, siteCode), enterprise: i, siteCode, oreKind: e.mining!, product: mineProduct(e.divisionCode, e.mining!, r),
        nameZh: `${e.nameZh.replace(/有限(责任)?公司$/u, '')}${k}号采区`, nameEn: `${e.nameEn.replace(/ Co\., Ltd\.$/u, '')} mining area ${k}`, divisionCode: e.divisionCode,
      });
      const l = minesOf.get(i);
      if (l) l.push(mines.length - 1); else minesOf.set(i, [mines.length - 1]);
    }
  }

  // Customers: each enterprise's preferred buyers per destination role (two to four of them).
  const customers = new Map<string, number[]>();
  const chosen = new Map<number, number>();
  const customersOf = (from: number, role: Role): number[] => {
    const key = `${from}:${role}`;
    let list = customers.get(key);
    if (!list) {
      let pool = role === 'separator' ? nearestSeparators(ents[from]!, ofRole('separator'), ents) : ofRole(role);
      if (role === 'separator' && roles[from] === 'importer') pool = ofRole('separator').filter((s) => /^32/.test(ents[s]!.divisionCode));
      if (pool.length === 0) pool = role === 'separator' ? ofRole('separator') : [];
      // Two to four buyers, the least chosen first, so every enterprise of a role finds suppliers.
      const order = pool.map((c) => ({ c, n: chosen.get(c) ?? 0, tie: r() })).sort((a, b) => a.n - b.n || a.tie - b.tie);
      list = order.slice(0, Math.min(pool.length, int(r, 2, 4))).map((x) => x.c).filter((c) => LEVEL[roles[c]!] > LEVEL[roles[from]!]);
      for (const c of list) chosen.set(c, (chosen.get(c) ?? 0) + 1);
      customers.set(key, list);
    }
    return list;
  };

  // Daily mining rate and lot size from each miner's remaining quota.
  const days: string[] = [];
  for (let t = dayStart(input.firstDay); t <= dayStart(input.lastDay); t += DAY) days.push(new Date(t + CHINA).toISOString().slice(0, 10));
  invariant(days.length >= 30, () => `a dataset needs at least 30 days of flows, not ${days.length} (${input.firstDay} – ${input.lastDay})`);
  const maxMiningBudget = Math.max(1, ...ents.map((e) => (e.mining ? e.miningBudgetGrams : 0)));
  const miningRate = new Map<number, number>();
  const lotMass = new Map<number, number>();
  for (const [i] of minesOf) {
    const e = ents[i]!;
    const rate = scale * BASE_MINING_LOTS_PER_DAY * Math.max(0.08, Math.sqrt(e.miningBudgetGrams / maxMiningBudget));
    miningRate.set(i, rate);
    const meanPpm = e.mining === 'rock_type' ? 520_000 : 920_000;
    // Mass so that a year of lots at the mean REO stays within 85% of the remaining quota.
    lotMass.set(i, Math.floor((0.85 * e.miningBudgetGrams * 1_000_000) / meanPpm / (rate * days.length * 1.15)));
  }
  const miningUsed = new Map<number, number>();
  const separationUsed = new Map<number, number>();

  const lots: Lot[] = [];
  const streams: Ev[][] = ents.map(() => []);
  const holdings: Map<number, Holding>[] = ents.map(() => new Map());
  /** Per enterprise and product, the lots waiting to go into a transformation (FIFO; entries no longer held are skipped). */
  const inputQueue: Map<string, number[]>[] = ents.map(() => new Map());
  /** Per enterprise, the lots waiting to be shipped or exported (FIFO by arrival). */
  const shipQueue: number[][] = ents.map(() => []);
  const recipeInputs = ents.map((_, i) => new Set((RECIPES[roles[i]!] ?? []).flatMap((rc) => [...rc.inputs, ...(rc.extras ?? [])])));
  const routed = (e: number, product: string) => roles[e] === 'exporter' || ROUTES[roles[e]!]?.[product] !== undefined;
  const lotCounter = ents.map(() => 0);
  let invoiceCounter = 0;
  let customsCounter = 0;
  const arrivals = new Map<number, Transit[]>();

  const hold = (e: number, lot: number, grams: number, day: number) => {
    invariant(grams > 0, () => `a holding of ${grams} g`);
    const h = holdings[e]!.get(lot);
    if (h) h.grams += grams;
    else {
      holdings[e]!.set(lot, { grams, since: day });
      const p = lots[lot]!.product;
      if (routed(e, p)) shipQueue[e]!.push(lot);
      else if (recipeInputs[e]!.has(p)) {
        const q = inputQueue[e]!.get(p);
        if (q) q.push(lot); else inputQueue[e]!.set(p, [lot]);
      }
    }
  };
  const take = (e: number, lot: number, grams: number) => {
    const h = holdings[e]!.get(lot);
    invariant(h && h.grams >= grams && grams > 0, () => `enterprise ${ents[e]!.nameEn} takes ${grams} g of lot ${lot} but holds ${h?.grams ?? 0} g`);
    h.grams -= grams;
    if (h.grams === 0) holdings[e]!.delete(lot);
  };
  /** Up to n lots held of the given products, oldest first, compacting the queues as it goes. */
  const firstHeld = (e: number, productsWanted: readonly string[], n: number): number[] => {
    const out: number[] = [];
    for (const p of productsWanted) {
      const q = inputQueue[e]!.get(p);
      if (!q) continue;
      let dead = 0;
      while (dead < q.length && !holdings[e]!.has(q[dead]!)) dead++;
      if (dead) q.splice(0, dead);
      for (let k = 0; k < q.length && out.length < n; k++) if (holdings[e]!.has(q[k]!) && !out.includes(q[k]!)) out.push(q[k]!);
      if (out.length >= n) break;
    }
    return out;
  };
  const newLot = (e: number, product: string, day: string, ppm: number, assay: Lot['assay'] = null): number => {
    const n = lotCounter[e]!++;
    lots.push({ producer: e, product, number: `${day.slice(2, 4)}${day.slice(5, 7)}${day.slice(8, 10)}-${n.toString(36).toUpperCase().padStart(5, '0')}`, ppm, assay });
    return lots.length - 1;
  };

  for (const [d, day] of days.entries()) {
    const start = dayStart(day) + 6 * 3600_000;
    const clock = ents.map(() => 0);
    const push = (e: number, ev: Omit<Ev, 'enterprise' | 'seq' | 'time'>): Ev => {
      invariant(clock[e]! < MAX_EVENTS_PER_DAY, () => `${ents[e]!.nameEn} records more than ${MAX_EVENTS_PER_DAY} events on ${day}`);
      const full: Ev = { ...ev, enterprise: e, seq: streams[e]!.length, time: start + clock[e]!++ * 20_000 };
      streams[e]!.push(full);
      return full;
    };

    // (4b) Receipts of what arrives today: exactly what was shipped.
    for (const t of arrivals.get(d) ?? []) {
      const receipt = push(t.to, { kind: 'receive', lots: [...t.ship.lots], grams: [...t.ship.grams], party: t.from, invoice: t.ship.invoice, dep: { enterprise: t.from, seq: t.ship.seq } });
      invariant(receipt.time > t.ship.time, () => 'a receipt before its shipment');
      receipt.lots.forEach((lot, k) => hold(t.to, lot, receipt.grams[k]!, d));
    }
    arrivals.delete(d);

    // (1) Mining at registered mines, within the remaining mining quota.
    for (const [i, mineIds] of minesOf) {
      const e = ents[i]!;
      for (let n = poisson(r, miningRate.get(i)!); n > 0; n--) {
        const mine = mines[pick(r, mineIds)]!;
        const product = products.get(mine.product)!;
        const base = product.reoPpm / 10_000;
        const treo = Math.min(99, Math.max(1, base * (0.92 + r() * 0.16)));
        const treoPercent = treo.toFixed(2);
        const ppm = Math.round(Number(treoPercent) * 10_000);
        const grams = Math.max(50_000, Math.floor(lotMass.get(i)! * (0.7 + r() * 0.6) / 1000) * 1000);
        const used = (miningUsed.get(i) ?? 0) + reo(grams, ppm);
        if (used > e.miningBudgetGrams * 0.95) break;
        miningUsed.set(i, used);
        const elements = Object.fromEntries(Object.entries(product.elementSplit ?? {}).map(([el, share]) => [el, (Number(share) * 100).toFixed(2)]));
        const lot = newLot(i, mine.product, day, ppm, { treoPercent, elements });
        push(i, { kind: 'mine', lots: [lot], grams: [grams], mine: mines.indexOf(mine) });
        hold(i, lot, grams, d);
      }
    }

    // (2) Imports of monazite and xenotime, by importers.
    for (const i of ofRole('importer')) {
      const importLotGrams = (IMPORT_REO_TONNES * 1_000_000 / 0.6) / (scale * BASE_IMPORT_LOTS_PER_DAY * days.length * 2);
    for (let n = poisson(r, (scale * BASE_IMPORT_LOTS_PER_DAY) / Math.max(1, ofRole('importer').length)); n > 0; n--) {
        const [product, countries] = r() < 0.75 ? IMPORTS[0]! : IMPORTS[1]!;
        const lotsHere = int(r, 1, 3);
        const made: number[] = [];
        const grams: number[] = [];
        for (let k = 0; k < lotsHere; k++) {
          made.push(newLot(i, product, day, ppmOf(product)));
          grams.push(Math.max(100_000, Math.floor((importLotGrams * (0.6 + r() * 0.8)) / 1000) * 1000));
        }
        push(i, { kind: 'import', lots: made, grams, country: pick(r, countries), customs: `${2200 + (i % 90)}${input.year}1${String(++customsCounter).padStart(9, '0')}` });
        made.forEach((lot, k) => hold(i, lot, grams[k]!, d));
      }
    }

    // (3, 5, 6) Transformations: separation, metal smelting and alloying, magnets and functional materials, recycling.
    for (const [i, role] of roles.entries()) {
      const recipes = RECIPES[role];
      if (!recipes) continue;
      for (const recipe of recipes) {
        for (let rounds = 0; rounds < 400; rounds++) {
          const want = int(r, recipe.batch[0], recipe.batch[1]);
          const candidates = firstHeld(i, recipe.inputs, want);
          // A batch waits for enough input, unless what is there has waited a week.
          const oldest = candidates.reduce((m, lot) => Math.min(m, holdings[i]!.get(lot)!.since), Infinity);
          if (candidates.length === 0 || (candidates.length < want && d - oldest < 7)) break;
          const inputs = candidates;
          const inLots: number[] = [];
          const inGrams: number[] = [];
          for (const [k, lot] of inputs.entries()) {
            const held = holdings[i]!.get(lot)!.grams;
            // Sometimes the last lot of a batch is used in part (the rest waits for the next batch).
            const g = k === inputs.length - 1 && inputs.length > 1 && held >= 20_000 && r() < 0.3 ? Math.floor(held / 2000) * 1000 : held;
            inLots.push(lot);
            inGrams.push(g);
          }
          let extra = false;
          if (recipe.extras) {
            for (const p of recipe.extras) {
              const lot = firstHeld(i, [p], 1)[0];
              if (lot !== undefined) {
                const held = holdings[i]!.get(lot)!.grams;
                inLots.push(lot);
                inGrams.push(held);
                extra = true;
                break;
              }
            }
          }
          const inReo = inLots.reduce((s, lot, k) => s + reo(inGrams[k]!, lots[lot]!.ppm), 0);
          if (role === 'separator') {
            const used = (separationUsed.get(i) ?? 0) + inReo;
            if (used > ents[i]!.separationBudgetGrams * 0.95) break; // quota spent: ore waits in stock
            separationUsed.set(i, used);
          }
          const outputs = extra && recipe.outputsWithExtra ? recipe.outputsWithExtra : recipe.outputs;
          const outLots: number[] = [];
          const outGrams: number[] = [];
          let outReo = 0;
          for (const [product, share] of outputs) {
            const ppm = ppmOf(product);
            const target = Math.floor(inReo * share * recipe.yield);
            const grams = Math.floor((target * 1_000_000) / ppm / 1000) * 1000;
            if (grams < 1000) continue;
            outLots.push(newLot(i, product, day, ppm));
            outGrams.push(grams);
            outReo += reo(grams, ppm);
          }
          if (outLots.length === 0) break;
          invariant(outReo <= inReo, () => `outputs' REO ${outReo} g above inputs' ${inReo} g at ${ents[i]!.nameEn}`);
          inLots.forEach((lot, k) => take(i, lot, inGrams[k]!));
          push(i, { kind: 'transform', lots: inLots, grams: inGrams, outLots, outGrams });
          outLots.forEach((lot, k) => hold(i, lot, outGrams[k]!, d));
        }
      }
    }

    // (4a, 7) Shipments to customers and exports of what has been held a day or more.
    for (const [i, role] of roles.entries()) {
      const routes = ROUTES[role];
      const exporter = role === 'exporter';
      if (!routes && !exporter) continue;
      const queue = shipQueue[i]!;
      const readySet = new Set<number>();
      let head = 0;
      while (head < queue.length) {
        const lot = queue[head]!;
        const h = holdings[i]!.get(lot);
        if (h && d - h.since < 1) break;
        if (h) readySet.add(lot);
        head++;
      }
      queue.splice(0, head);
      const ready = [...readySet];
      // Group by destination.
      const groups = new Map<string, number[]>();
      for (const lot of ready) {
        const product = lots[lot]!.product;
        let dest: number | 'export' | null = null;
        if (exporter) dest = 'export';
        else {
          const route = routes![product];
          if (!route) continue; // kept (a recipe input waiting for its batch)
          let x = r() * route.reduce((s, [, w]) => s + w, 0);
          let target: Role | 'export' = route[0]![0];
          for (const [to, w] of route) { if ((x -= w) <= 0) { target = to; break; } }
          if (target === 'exporter' && ents[i]!.activities.includes('export')) dest = 'export';
          else if (target !== 'export') {
            const list = customersOf(i, target);
            dest = list.length ? pick(r, list) : null;
          } else dest = 'export';
        }
        if (dest === null) { queue.push(lot); continue; }
        const key = String(dest);
        const g = groups.get(key);
        if (g) g.push(lot); else groups.set(key, [lot]);
      }
      for (const [key, group] of groups) {
        for (let k = 0; k < group.length;) {
          const n = role === 'miner' ? int(r, 2, 5) : int(r, 1, key === 'export' ? 4 : 3);
          const chunk = group.slice(k, k + n);
          k += n;
          const grams = chunk.map((lot) => {
            const held = holdings[i]!.get(lot)!.grams;
            // Now and then part of a lot is sold, the rest later.
            return held >= 40_000 && r() < 0.1 ? Math.floor(held / 2000) * 1000 : held;
          });
          chunk.forEach((lot, j) => {
            take(i, lot, grams[j]!);
            if (holdings[i]!.has(lot)) queue.push(lot); // the rest of a lot sold in part goes later
          });
          const invoice = `${input.year}${String(i).padStart(3, '0')}${String(++invoiceCounter).padStart(8, '0')}`;
          if (key === 'export') {
            push(i, { kind: 'export', lots: chunk, grams, invoice, country: pick(r, EXPORT_COUNTRIES), customs: `${3100 + (i % 90)}${input.year}0${String(++customsCounter).padStart(9, '0')}` });
          } else {
            const to = Number(key);
            invariant(LEVEL[roles[to]!] > LEVEL[role], () => `a shipment from ${role} to ${roles[to]} goes back up the chain`);
            const ship = push(i, { kind: 'ship', lots: chunk, grams, party: to, invoice });
            const arrives = d + int(r, 1, 3);
            if (arrives < days.length) {
              const a = arrivals.get(arrives);
              if (a) a.push({ from: i, to, ship, arrives }); else arrivals.set(arrives, [{ from: i, to, ship, arrives }]);
            }
          }
        }
      }
    }
  }
  return { roles, mines, lots, streams };
}

// ---------------------------------------------------------------------------------------------
// Packing into documents and the capture order
// ---------------------------------------------------------------------------------------------

function pack(streams: Ev[][], size: number): Doc[] {
  interface Node { doc: Doc; deps: Set<string>; first: number }
  const key = (e: number, k: number) => `${e}:${k}`;
  const nodes = new Map<string, Node>();
  for (const [e, stream] of streams.entries()) {
    for (let k = 0; k * size < stream.length; k++) {
      const from = k * size;
      const to = Math.min(stream.length, from + size);
      const deps = new Set<string>();
      if (k > 0) deps.add(key(e, k - 1));
      for (let s = from; s < to; s++) {
        const dep = stream[s]!.dep;
        if (dep) deps.add(key(dep.enterprise, Math.floor(dep.seq / size)));
      }
      nodes.set(key(e, k), { doc: { enterprise: e, index: k, from, to }, deps, first: stream[from]!.time });
    }
  }
  // Kahn's algorithm, earliest first event first.
  const dependents = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  for (const [k, n] of nodes) {
    waiting.set(k, n.deps.size);
    for (const dep of n.deps) { const l = dependents.get(dep); if (l) l.push(k); else dependents.set(dep, [k]); }
  }
  const ready = [...nodes.keys()].filter((k) => waiting.get(k) === 0);
  const order: Doc[] = [];
  while (ready.length) {
    let best = 0;
    for (let j = 1; j < ready.length; j++) if (nodes.get(ready[j]!)!.first < nodes.get(ready[best]!)!.first) best = j;
    const k = ready.splice(best, 1)[0]!;
    order.push(nodes.get(k)!.doc);
    for (const next of dependents.get(k) ?? []) {
      const left = waiting.get(next)! - 1;
      waiting.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  invariant(order.length === nodes.size, () => `documents wait on each other in a cycle (${nodes.size - order.length} never ready)`);
  return order;
}

/**
 * Replays the documents in capture order against a model of the capture rules: lots created
 * once, nothing used, shipped or exported beyond what the enterprise holds, every receipt
 * answering a shipment from its source awaiting receipt, outputs' REO within inputs' REO.
 */
export function replayCheck(ds: Pick<Dataset, 'streams' | 'docs' | 'lots'>): void {
  const stock = new Map<string, number>();
  const created = new Set<number>();
  const open = new Map<string, number>();
  const reo = (grams: number, lot: number) => Math.floor((grams * ds.lots[lot]!.ppm) / 1_000_000);
  for (const doc of ds.docs) {
    const stream = ds.streams[doc.enterprise]!;
    for (let s = doc.from; s < doc.to; s++) {
      const ev = stream[s]!;
      const e = ev.enterprise;
      const at = () => `event ${s} of enterprise ${e} (${ev.kind})`;
      const use = (lot: number, grams: number) => {
        const k = `${e}:${lot}`;
        const held = stock.get(k) ?? 0;
        invariant(grams > 0 && grams <= held, () => `${at()} takes ${grams} g of lot ${lot}, ${held} g held`);
        stock.set(k, held - grams);
      };
      const add = (lot: number, grams: number) => stock.set(`${e}:${lot}`, (stock.get(`${e}:${lot}`) ?? 0) + grams);
      const make = (lot: number, grams: number) => {
        invariant(!created.has(lot), () => `${at()} creates lot ${lot} again`);
        created.add(lot);
        add(lot, grams);
      };
      switch (ev.kind) {
        case 'mine': case 'import': ev.lots.forEach((l, k) => make(l, ev.grams[k]!)); break;
        case 'transform': {
          const inReo = ev.lots.reduce((t, l, k) => t + reo(ev.grams[k]!, l), 0);
          const outReo = ev.outLots!.reduce((t, l, k) => t + reo(ev.outGrams![k]!, l), 0);
          invariant(outReo <= inReo, () => `${at()}: outputs' REO above inputs'`);
          ev.lots.forEach((l, k) => use(l, ev.grams[k]!));
          ev.outLots!.forEach((l, k) => make(l, ev.outGrams![k]!));
          break;
        }
        case 'ship': ev.lots.forEach((l, k) => { use(l, ev.grams[k]!); const key = `${ev.party}:${e}:${l}:${ev.grams[k]}`; open.set(key, (open.get(key) ?? 0) + 1); }); break;
        case 'export': ev.lots.forEach((l, k) => use(l, ev.grams[k]!)); break;
        case 'receive': ev.lots.forEach((l, k) => {
          const key = `${e}:${ev.party}:${l}:${ev.grams[k]}`;
          const n = open.get(key) ?? 0;
          invariant(n > 0, () => `${at()} receives lot ${l} with no matching shipment awaiting receipt`);
          open.set(key, n - 1);
          add(l, ev.grams[k]!);
        }); break;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------

const TIER_OF: Record<EventKind, (roles: Role[], ev: Ev) => string> = {
  mine: () => '1 mining',
  import: () => '2 import',
  transform: (roles, ev) => (roles[ev.enterprise] === 'separator' ? '3 separation' : ['metal', 'alloy'].includes(roles[ev.enterprise]!) ? '5 metal and alloy' : '6 magnets and materials'),
  ship: () => '4 shipments and receipts',
  receive: () => '4 shipments and receipts',
  export: () => '7 export',
};

export function generateDataset(input: DatasetInput): Dataset {
  const size = input.eventsPerDocument ?? 1000;
  // Events grow about linearly with the scale of mining and imports: a small pilot run says how fast.
  const count = (x: SimResult) => x.streams.reduce((t, stream) => t + stream.length, 0);
  const pilotScale = Math.min(0.05, input.targetEvents / 1_000_000);
  let sim = simulate(input, pilotScale);
  let scale = pilotScale;
  for (let attempt = 0; count(sim) < input.targetEvents; attempt++) {
    invariant(attempt < 6 && count(sim) > 0, () => `could not reach ${input.targetEvents} events (${count(sim)} at scale ${scale})`);
    scale *= (input.targetEvents / count(sim)) * 1.02;
    sim = simulate(input, scale);
  }
  const docs = pack(sim.streams, size);
  const ds: Dataset = { input, ...sim, docs, stats: undefined as unknown as DatasetStats };
  replayCheck(ds);

  const byKind: Record<EventKind, number> = { mine: 0, import: 0, transform: 0, ship: 0, receive: 0, export: 0 };
  const byTier: Record<string, number> = {};
  let edges = 0;
  let mined = 0;
  let imported = 0;
  let exported = 0;
  const reoT = (grams: number, lot: number) => (grams * sim.lots[lot]!.ppm) / 1e12;
  for (const stream of sim.streams) {
    for (const ev of stream) {
      byKind[ev.kind]++;
      const tier = TIER_OF[ev.kind](sim.roles, ev);
      byTier[tier] = (byTier[tier] ?? 0) + 1;
      if (ev.kind === 'transform') edges += ev.lots.length * ev.outLots!.length;
      if (ev.kind === 'mine') mined += reoT(ev.grams[0]!, ev.lots[0]!);
      if (ev.kind === 'import') imported += ev.lots.reduce((s, l, k) => s + reoT(ev.grams[k]!, l), 0);
      if (ev.kind === 'export') exported += ev.lots.reduce((s, l, k) => s + reoT(ev.grams[k]!, l), 0);
    }
  }
  ds.stats = {
    events: sim.streams.reduce((s, x) => s + x.length, 0), documents: docs.length, fullDocuments: docs.filter((d) => d.to - d.from === size).length,
    enterprisesWithEvents: sim.streams.filter((s) => s.length > 0).length, byKind, byTier, lots: sim.lots.length, edges,
    minedReoTonnes: Math.round(mined), importedReoTonnes: Math.round(imported), exportedReoTonnes: Math.round(exported), scale,
  };
  return ds;
}

// ---------------------------------------------------------------------------------------------
// EPCIS 2.0 JSON-LD
// ---------------------------------------------------------------------------------------------

const CONTEXT = ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld', { ytb: 'https://ns.ytterby.cn/epcis/' }];
const kg = (grams: number) => grams / 1000; // integer grams → kilograms with at most three decimals
const iso = (t: number) => `${new Date(t + CHINA).toISOString().slice(0, 23)}+08:00`;

/** The EPCIS event of a generated event, in the vocabulary of docs/traceability.md. */
export function epcisEvent(ds: Dataset, ev: Ev): Record<string, unknown> {
  const ents = ds.input.enterprises;
  const me = ents[ev.enterprise]!;
  const uri = (lot: number) => lotUri(ents[ds.lots[lot]!.producer]!.creditCode, ds.lots[lot]!);
  const q = (lots: number[], grams: number[]) => lots.map((lot, k) => ({ epcClass: uri(lot), quantity: kg(grams[k]!), uom: 'KGM' }));
  const base = { eventTime: iso(ev.time), eventTimeZoneOffset: '+08:00' };
  const invoice = ev.invoice ? [{ type: 'inv', bizTransaction: `urn:ytterby:vat:${ev.invoice}` }] : undefined;
  switch (ev.kind) {
    case 'mine': {
      const mine = ds.mines[ev.mine!]!;
      const lot = ds.lots[ev.lots[0]!]!;
      return {
        type: 'ObjectEvent', ...base, action: 'ADD', bizStep: 'commissioning', disposition: 'active',
        readPoint: { id: mine.uri }, bizLocation: { id: mine.uri }, quantityList: q(ev.lots, ev.grams),
        ilmd: { 'ytb:assay': lot.assay },
      };
    }
    case 'import':
      return {
        type: 'ObjectEvent', ...base, action: 'ADD', bizStep: 'commissioning', disposition: 'active', quantityList: q(ev.lots, ev.grams),
        'ytb:import': { country: ev.country, customsDeclarationNo: ev.customs },
      };
    case 'transform':
      return { type: 'TransformationEvent', ...base, bizStep: 'commissioning', inputQuantityList: q(ev.lots, ev.grams), outputQuantityList: q(ev.outLots!, ev.outGrams!) };
    case 'ship':
      return {
        type: 'ObjectEvent', ...base, action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit', quantityList: q(ev.lots, ev.grams),
        bizTransactionList: invoice,
        sourceList: [{ type: 'owning_party', source: partyUri(me.creditCode) }],
        destinationList: [{ type: 'owning_party', destination: partyUri(ents[ev.party!]!.creditCode) }],
      };
    case 'receive':
      return {
        type: 'ObjectEvent', ...base, action: 'OBSERVE', bizStep: 'receiving', disposition: 'in_progress', quantityList: q(ev.lots, ev.grams),
        bizTransactionList: invoice,
        sourceList: [{ type: 'owning_party', source: partyUri(ents[ev.party!]!.creditCode) }],
        destinationList: [{ type: 'owning_party', destination: partyUri(me.creditCode) }],
      };
    case 'export':
      return {
        type: 'ObjectEvent', ...base, action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit', quantityList: q(ev.lots, ev.grams),
        bizTransactionList: invoice, sourceList: [{ type: 'owning_party', source: partyUri(me.creditCode) }],
        'ytb:export': { country: ev.country, customsDeclarationNo: ev.customs },
      };
  }
}

/** A document of the generated events, as the enterprise would send it. */
export function epcisDocument(ds: Dataset, doc: Doc): { document: Record<string, unknown>; raw: string } {
  const stream = ds.streams[doc.enterprise]!;
  const eventList: Record<string, unknown>[] = [];
  for (let s = doc.from; s < doc.to; s++) eventList.push(epcisEvent(ds, stream[s]!));
  const document = {
    '@context': CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0',
    creationDate: iso(stream[doc.to - 1]!.time + 3600_000),
    epcisBody: { eventList },
  };
  return { document, raw: JSON.stringify(document) };
}

/** URIs of a lot, for sampling genealogy. */
export function lotUriOf(ds: Dataset, lot: number): string {
  return lotUri(ds.input.enterprises[ds.lots[lot]!.producer]!.creditCode, ds.lots[lot]!);
}
