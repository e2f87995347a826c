import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateCreditCode } from '../../domain/credit-code.ts';
import { DEMO_DIVISIONS, DEMO_PASSWORD, METAL_BASIS_CATEGORIES, buildDemoDataset } from './demo.dataset.ts';

function readCsv(name: string): string[][] {
  const text = readFileSync(new URL(`../../../data/reference/${name}`, import.meta.url), 'utf8');
  // Only hs-codes.csv quotes a field (its description, which may hold commas); it is read from the end.
  return text.trim().split('\n').slice(1).map((line) => line.split(','));
}

const divisions = new Map(readCsv('divisions.csv').map(([code, nameZh, level, parentCode]) => [code!, { nameZh: nameZh!, level: level!, parentCode: parentCode || null }]));
const englishNames = new Map(readCsv('division-names-en.csv').map(([code, nameEn]) => [code!, nameEn!]));
const hsCategories = new Map(readCsv('hs-codes.csv').map((fields) => [fields[0]!, fields.at(-2)!]));

/** A decimal string as an integer number of millionths, without floating point; null when it has more than 6 decimals. */
function millionths(decimal: string): number | null {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(decimal);
  if (!match) return null;
  return Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'));
}

const dataset = buildDemoDataset();
const enterprisesByCode = new Map(dataset.enterprises.map((e) => [e.creditCode, e]));
const departmentsByCode = new Map(dataset.departments.map((d) => [d.code, d]));
const producers = dataset.enterprises.filter((e) => e.activities.includes('mining') || e.activities.includes('smelting_separation'));
const downstream = dataset.enterprises.filter((e) => !producers.includes(e));

describe('demo dataset', () => {
  it('builds the same data on every call', () => {
    expect(buildDemoDataset()).toEqual(dataset);
  });

  it('gives every enterprise a valid unified social credit code', () => {
    for (const { creditCode } of dataset.enterprises) expect(validateCreditCode(creditCode), creditCode).toBeNull();
  });

  it('never gives two enterprises the same credit code, organisation code or name', () => {
    const codes = dataset.enterprises.map((e) => e.creditCode);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(codes.map((c) => c.slice(8, 17))).size).toBe(codes.length);
    expect(new Set(dataset.enterprises.map((e) => e.nameZh)).size).toBe(codes.length);
    expect(new Set(dataset.enterprises.map((e) => e.nameEn)).size).toBe(codes.length);
  });

  it('registers every enterprise as an enterprise (91) of its domicile county', () => {
    for (const e of dataset.enterprises) {
      expect(e.creditCode.slice(0, 2)).toBe('91');
      expect(e.creditCode.slice(2, 8)).toBe(e.domicileDivisionCode);
    }
  });

  it('domiciles every enterprise in a county-level division of divisions.csv', () => {
    for (const e of dataset.enterprises) expect(divisions.get(e.domicileDivisionCode)?.level, e.nameZh).toBe('county');
  });

  it('scopes every local department to a division of its own level in divisions.csv', () => {
    for (const d of dataset.departments) {
      if (d.level === 'national') expect(d.divisionCode, d.code).toBeNull();
      else expect(divisions.get(d.divisionCode ?? '')?.level, d.code).toBe(d.level);
    }
  });

  it('names divisions exactly as divisions.csv and division-names-en.csv do', () => {
    for (const division of DEMO_DIVISIONS.values()) {
      const reference = divisions.get(division.code);
      expect(reference, division.code).toBeDefined();
      expect(division.nameZh).toBe(reference?.nameZh);
      expect(division.level).toBe(reference?.level);
      expect(division.parentCode).toBe(reference?.parentCode);
      expect(division.nameEn).toBe(englishNames.get(division.code));
    }
  });

  it('has an industry & IT and a natural resources department for all 31 mainland provinces', () => {
    const mainland = [...divisions].filter(([code, d]) => d.level === 'province' && !/^(71|81|82)/.test(code)).map(([code]) => code);
    expect(mainland).toHaveLength(31);
    for (const code of mainland) {
      expect(departmentsByCode.get(`IIT-${code}`)?.kind).toBe('industry_it');
      expect(departmentsByCode.get(`NR-${code}`)?.kind).toBe('natural_resources');
    }
  });

  it('has both departments in every county and prefecture that hosts an enterprise', () => {
    for (const e of dataset.enterprises) {
      const prefecture = divisions.get(e.domicileDivisionCode)?.parentCode ?? '';
      const codes = [e.domicileDivisionCode, ...(divisions.get(prefecture)?.level === 'prefecture' ? [prefecture] : [])];
      for (const code of codes) {
        expect(departmentsByCode.has(`IIT-${code}`), `IIT-${code}`).toBe(true);
        expect(departmentsByCode.has(`NR-${code}`), `NR-${code}`).toBe(true);
      }
    }
  });

  it('never repeats a department, group, product or user code', () => {
    for (const list of [dataset.departments.map((d) => d.code), dataset.groups.map((g) => g.code), dataset.products.map((p) => p.code), dataset.users.map((u) => u.username)]) {
      expect(new Set(list).size).toBe(list.length);
    }
  });

  it('merges every merged group into an active group, and only merged ones', () => {
    const groups = new Map(dataset.groups.map((g) => [g.code, g]));
    for (const g of dataset.groups) {
      if (g.status === 'merged') expect(groups.get(g.mergedIntoCode ?? '')?.status, g.code).toBe('active');
      else expect(g.mergedIntoCode).toBeNull();
    }
    for (const e of dataset.enterprises) if (e.groupCode !== null) expect(groups.get(e.groupCode)?.status).toBe('active');
  });

  it('splits every product into elements summing to exactly one', () => {
    for (const p of dataset.products) {
      if (p.elementSplit === null) continue;
      const parts = Object.values(p.elementSplit).map(millionths);
      expect(parts, p.code).not.toContain(null);
      expect(parts.reduce<number>((sum, part) => sum + (part ?? 0), 0), p.code).toBe(1_000_000);
    }
  });

  it('uses only rare earth element symbols in splits', () => {
    const symbols = new Set(readCsv('rare-earth-elements.csv').map(([symbol]) => symbol));
    for (const p of dataset.products) for (const symbol of Object.keys(p.elementSplit ?? {})) expect(symbols.has(symbol), `${p.code} ${symbol}`).toBe(true);
  });

  it('states every REO content as a fraction between 0 and 1 with at most six decimals', () => {
    for (const p of dataset.products) {
      const value = millionths(p.reoContent);
      expect(value, p.code).not.toBeNull();
      expect(value ?? -1).toBeGreaterThan(0);
      expect(value ?? 2_000_000).toBeLessThanOrEqual(1_000_000);
    }
  });

  it('states metals at a rare earth metal fraction of one', () => {
    for (const p of dataset.products.filter((p) => p.category === 'metal')) expect(p.reoContent).toBe('1.000000');
    expect(METAL_BASIS_CATEGORIES).toEqual(['metal', 'alloy']);
  });

  it('uses ten-digit HS codes, in a matching category where hs-codes.csv lists them', () => {
    const category = { mineral_product: 'mineral_product', separation_oxide: 'oxide', metal: 'metal', magnet: 'magnet' } as Record<string, string>;
    for (const p of dataset.products) {
      if (p.hsCode === null) continue;
      expect(p.hsCode, p.code).toMatch(/^\d{10}$/);
      const listed = hsCategories.get(p.hsCode);
      if (listed !== undefined) expect(listed, p.code).toBe(category[p.category]);
    }
  });

  it('designates only existing producers, for an activity they carry', () => {
    for (const d of dataset.designations) {
      const enterprise = enterprisesByCode.get(d.creditCode);
      expect(enterprise, d.creditCode).toBeDefined();
      expect(enterprise?.activities).toContain(d.activity);
      expect(d.oreKind === null).toBe(d.activity === 'smelting_separation');
      expect(d.validFrom <= d.validTo).toBe(true);
      expect(d.designatedBy.split(',').every((code) => departmentsByCode.get(code)?.level === 'national')).toBe(true);
    }
    for (const p of producers) expect(dataset.designations.some((d) => d.creditCode === p.creditCode), p.nameZh).toBe(true);
  });

  it('has one lapsed mining designation and one enterprise designated for both activities', () => {
    expect(dataset.designations.filter((d) => d.activity === 'mining' && d.validTo < '2026-01-01')).toHaveLength(1);
    const both = producers.filter((p) => new Set(dataset.designations.filter((d) => d.creditCode === p.creditCode).map((d) => d.activity)).size === 2);
    expect(both).toHaveLength(1);
  });

  it('gives miners mining and safety licences and separators a safety licence and a discharge permit', () => {
    for (const p of producers) {
      const kinds = new Set(p.licences.map((l) => l.kind));
      if (p.activities.includes('mining')) expect([kinds.has('mining_licence'), kinds.has('safety_licence')], p.nameZh).toEqual([true, true]);
      if (p.activities.includes('smelting_separation')) expect([kinds.has('safety_licence'), kinds.has('pollutant_discharge_permit')], p.nameZh).toEqual([true, true]);
    }
  });

  it('lets two or three producers hold a licence that expired in 2025', () => {
    const expired = producers.filter((p) => p.licences.some((l) => l.validTo.startsWith('2025')));
    expect(expired.length).toBeGreaterThanOrEqual(2);
    expect(expired.length).toBeLessThanOrEqual(3);
    for (const e of dataset.enterprises) for (const l of e.licences) expect(l.validFrom < l.validTo, l.number).toBe(true);
  });

  it('has one separator below 1,000 t REO a year and the rest between 2,000 and 30,000 t', () => {
    const separators = producers.filter((p) => p.activities.includes('smelting_separation') && !p.activities.includes('mining'));
    const capacities = separators.map((s) => Number(s.capacityTonnesReo));
    expect(capacities.filter((c) => c < 1000)).toHaveLength(1);
    expect(capacities.filter((c) => c >= 1000).every((c) => c >= 2000 && c <= 30000)).toBe(true);
  });

  it('has about 30 designated producers and about 100 downstream enterprises', () => {
    expect(producers.length).toBeGreaterThanOrEqual(25);
    expect(producers.length).toBeLessThanOrEqual(35);
    expect(downstream.length).toBeGreaterThanOrEqual(90);
    expect(downstream.length).toBeLessThanOrEqual(110);
    expect(dataset.products.length).toBeGreaterThanOrEqual(40);
  });

  it('hosts at least two enterprises in each of Xunwu and Longnan', () => {
    for (const county of ['360734', '360783']) {
      expect(dataset.enterprises.filter((e) => e.domicileDivisionCode === county).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('attaches every user to exactly one existing department or enterprise', () => {
    for (const u of dataset.users) {
      expect((u.departmentCode === null) !== (u.enterpriseCreditCode === null), u.username).toBe(true);
      if (u.departmentCode !== null) expect(departmentsByCode.has(u.departmentCode), u.username).toBe(true);
      if (u.enterpriseCreditCode !== null) expect(enterprisesByCode.has(u.enterpriseCreditCode), u.username).toBe(true);
      expect(u.password).toBe(DEMO_PASSWORD);
    }
  });

  it('gives the demo officials the jurisdictions the walkthrough relies on', () => {
    const user = (name: string) => dataset.users.find((u) => u.username === name);
    expect(user('nmg')?.departmentCode).toBe('IIT-150000');
    expect(user('baotou')?.departmentCode).toBe('IIT-150200');
    expect(user('xunwu')?.departmentCode).toBe('IIT-360734');
    expect(user('longnan')?.departmentCode).toBe('IIT-360783');
    expect(enterprisesByCode.get(user('xunwu-mine')?.enterpriseCreditCode ?? '')?.domicileDivisionCode).toBe('360734');
    expect(user('xunwu-mine-reporter')?.enterpriseCreditCode).toBe(user('xunwu-mine')?.enterpriseCreditCode);
    expect(enterprisesByCode.get(user('baotou-sep')?.enterpriseCreditCode ?? '')?.activities).toContain('smelting_separation');
  });
});
