/**
 * Who reports to whom (Art. 9): an enterprise to the departments of its domicile county, a
 * county to its prefecture (or straight to the province where there is none), a prefecture to
 * its province, a province to the ministries. The tree is built from the enterprises that owe
 * reports, so a division appears only when something below it has to be reported.
 */
import type { ReportLevel } from './deadlines.ts';

export const NATIONAL_KEY = 'CN';

export interface Unit {
  level: ReportLevel;
  /** Enterprise id, division code, or CN. */
  key: string;
  nameZh: string;
  nameEn: string;
  parentKey: string | null;
  divisionCode: string | null;
  creditCode: string | null;
}

export interface DivisionFacts { code: string; nameZh: string; nameEn: string | null; level: 'province' | 'prefecture' | 'county'; provinceCode: string; prefectureCode: string | null }
export interface EnterpriseFacts { id: string; creditCode: string; nameZh: string; nameEn: string | null; domicileDivisionCode: string }

/** The division a division's compilation goes to, or CN for provinces. */
export function parentOfDivision(d: DivisionFacts): string {
  if (d.level === 'province') return NATIONAL_KEY;
  if (d.level === 'prefecture') return d.provinceCode;
  return d.prefectureCode ?? d.provinceCode;
}

/** Division codes a set of enterprises' tree needs, to load them in one query. */
export function divisionCodesFor(enterprises: EnterpriseFacts[], divisions: ReadonlyMap<string, DivisionFacts>): string[] {
  const codes = new Set<string>();
  for (const e of enterprises) {
    codes.add(e.domicileDivisionCode);
    const d = divisions.get(e.domicileDivisionCode);
    if (d) { codes.add(d.provinceCode); if (d.prefectureCode) codes.add(d.prefectureCode); }
  }
  return [...codes];
}

export function buildUnitTree(enterprises: EnterpriseFacts[], divisions: ReadonlyMap<string, DivisionFacts>): Map<string, Unit> {
  const units = new Map<string, Unit>();
  units.set(NATIONAL_KEY, { level: 'national', key: NATIONAL_KEY, nameZh: '全国', nameEn: 'National', parentKey: null, divisionCode: null, creditCode: null });
  const addDivision = (code: string): void => {
    if (units.has(code)) return;
    const d = divisions.get(code);
    if (!d) throw new Error(`division ${code} is not in the registry`);
    const parentKey = parentOfDivision(d);
    units.set(code, { level: d.level, key: code, nameZh: d.nameZh, nameEn: d.nameEn ?? d.nameZh, parentKey, divisionCode: code, creditCode: null });
    if (parentKey !== NATIONAL_KEY) addDivision(parentKey);
  };
  for (const e of enterprises) {
    addDivision(e.domicileDivisionCode);
    units.set(e.id, { level: 'enterprise', key: e.id, nameZh: e.nameZh, nameEn: e.nameEn ?? e.nameZh, parentKey: e.domicileDivisionCode, divisionCode: e.domicileDivisionCode, creditCode: e.creditCode });
  }
  return units;
}

export function childrenOf(units: ReadonlyMap<string, Unit>, key: string): Unit[] {
  return [...units.values()].filter((u) => u.parentKey === key);
}

/** Every unit below a key, depth first. */
export function descendantsOf(units: ReadonlyMap<string, Unit>, key: string): Unit[] {
  const byParent = new Map<string, Unit[]>();
  for (const u of units.values()) if (u.parentKey) byParent.set(u.parentKey, [...(byParent.get(u.parentKey) ?? []), u]);
  const out: Unit[] = [];
  const walk = (k: string): void => { for (const c of byParent.get(k) ?? []) { out.push(c); walk(c.key); } };
  walk(key);
  return out;
}
