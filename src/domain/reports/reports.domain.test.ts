import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compile, explanationNeeded, indicatorLine, REPORT_SCHEMA, sumLines, type Constituent, type IndicatorLine, type ReportContent } from './content.ts';
import { dueDate } from './deadlines.ts';
import { buildUnitTree, childrenOf, NATIONAL_KEY, type DivisionFacts, type Unit } from './hierarchy.ts';
import { formatPeriod, parsePeriod, periodEnded } from './period.ts';
import { contentHash, signSeal, verifySignedReport, type Seal } from './seal.ts';
import { INDICATORS } from '../quota.ts';

describe('reporting periods', () => {
  it('parses months and years and refuses the rest', () => {
    expect(parsePeriod('2026-10')).toEqual({ kind: 'month', year: 2026, month: 10 });
    expect(parsePeriod('2026')).toEqual({ kind: 'year', year: 2026 });
    for (const bad of ['2026-13', '2026-1', '26-10', '1999', '2026-00', '']) expect(parsePeriod(bad)).toBeNull();
    expect(formatPeriod({ kind: 'month', year: 2026, month: 3 })).toBe('2026-03');
    expect(periodEnded({ kind: 'month', year: 2026, month: 10 }, '2026-10-31')).toBe(false);
    expect(periodEnded({ kind: 'month', year: 2026, month: 10 }, '2026-11-01')).toBe(true);
    expect(periodEnded({ kind: 'year', year: 2026 }, '2026-12-31')).toBe(false);
  });
});

describe('the reporting calendar', () => {
  // The 2025 National Day holiday: 1–8 October off, Sunday 28 September and Saturday 11 October worked.
  const calendar = {
    offDays: new Set(['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08']),
    workedWeekends: new Set(['2025-09-28', '2025-10-11']),
  };
  it('moves a due date on a day off to the next working day', () => {
    expect(dueDate({ kind: 'month', year: 2025, month: 9 }, { monthsAfter: 1, day: 5 }, calendar)).toBe('2025-10-09');
    expect(dueDate({ kind: 'month', year: 2025, month: 9 }, { monthsAfter: 1, day: 11 }, calendar)).toBe('2025-10-11'); // a worked Saturday
    expect(dueDate({ kind: 'month', year: 2026, month: 9 }, { monthsAfter: 1, day: 10 }, calendar)).toBe('2026-10-12'); // Saturday → Monday
    expect(dueDate({ kind: 'month', year: 2026, month: 9 }, { monthsAfter: 1, day: 10 }, null)).toBe('2026-10-10');
  });
  it('clamps day 31 to the end of the month, and counts months past the year end', () => {
    expect(dueDate({ kind: 'month', year: 2026, month: 1 }, { monthsAfter: 1, day: 31 }, null)).toBe('2026-02-28');
    expect(dueDate({ kind: 'year', year: 2025 }, { monthsAfter: 1, day: 31 }, null)).toBe('2026-01-31');
    expect(dueDate({ kind: 'year', year: 2025 }, { monthsAfter: 2, day: 20 }, null)).toBe('2026-02-20');
    expect(dueDate({ kind: 'year', year: 2025 }, { monthsAfter: 0, day: 31 }, null)).toBe('2025-12-31');
  });
});

describe('indicator lines', () => {
  const facts = { indicator: 'smelting_separation' as const, allocated: 1_000_000_000n, yearToDateBefore: 700_000_000n, period: 150_000_000n, flow: 150_000_000n };
  it('names the thresholds crossed in the period only, and asks for an explanation', () => {
    const line = indicatorLine(facts, [80, 95, 100]);
    expect(line).toMatchObject({ yearToDateReoGrams: '850000000', remainingReoGrams: '150000000', utilisationPercent: '85.00', thresholdsCrossed: [80] });
    expect(explanationNeeded(line)).toBe('threshold_crossed');
    const calm = indicatorLine({ ...facts, yearToDateBefore: 100_000_000n }, [80, 95, 100]);
    expect(explanationNeeded(calm)).toBeNull();
    expect(explanationNeeded(indicatorLine({ ...facts, yearToDateBefore: 100_000_000n, flow: 149_999_999n }, [80]))).toBe('differs_from_flows');
    expect(indicatorLine({ ...facts, yearToDateBefore: 900_000_000n }, [80, 95, 100])).toMatchObject({ remainingReoGrams: '-50000000', thresholdsCrossed: [95, 100] });
  });
});

/** A small deterministic PRNG, so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('compilation over generated data', () => {
  it('at every level the figures equal the sum of the level below, and the national total the sum of all enterprises', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = prng(seed);
      const int = (n: number) => Math.floor(random() * n);
      const divisions = new Map<string, DivisionFacts>();
      const enterprises: { id: string; creditCode: string; nameZh: string; nameEn: string; domicileDivisionCode: string }[] = [];
      for (let p = 0; p < 2 + int(4); p++) {
        const province = `${11 + p}0000`;
        divisions.set(province, { code: province, nameZh: `省${p}`, nameEn: `P${p}`, level: 'province', provinceCode: province, prefectureCode: null });
        for (let f = 0; f < 1 + int(3); f++) {
          const prefecture = `${11 + p}${String(f + 1).padStart(2, '0')}00`;
          divisions.set(prefecture, { code: prefecture, nameZh: `市${f}`, nameEn: `F${f}`, level: 'prefecture', provinceCode: province, prefectureCode: null });
          for (let c = 0; c < 1 + int(4); c++) {
            // some counties sit directly under the province, as 省直管县 do
            const direct = int(5) === 0;
            const county = `${11 + p}${direct ? '90' : String(f + 1).padStart(2, '0')}${String(c + 1 + f * 10).padStart(2, '0')}`;
            divisions.set(county, { code: county, nameZh: `县${c}`, nameEn: `C${c}`, level: 'county', provinceCode: province, prefectureCode: direct ? null : prefecture });
            for (let e = 0; e < 1 + int(3); e++) enterprises.push({ id: `${county}-${e}`, creditCode: `91${county}${e}`, nameZh: `企业${e}`, nameEn: `E${e}`, domicileDivisionCode: county });
          }
        }
      }
      const tree = buildUnitTree(enterprises, divisions);
      const contents = new Map<string, ReportContent>();
      const lineSets = new Map<string, IndicatorLine[]>();
      for (const e of enterprises) {
        const lines = INDICATORS.filter(() => random() < 0.5).map((indicator) => indicatorLine({
          indicator, allocated: BigInt(int(1e12)), yearToDateBefore: BigInt(int(1e11)), period: BigInt(int(1e10)), flow: BigInt(int(1e10)),
        }, [80, 95, 100], 'x'));
        lineSets.set(e.id, lines);
        contents.set(e.id, {
          schema: REPORT_SCHEMA, period: '2026-10', subject: { level: 'enterprise', enterpriseId: e.id, creditCode: e.creditCode, divisionCode: e.domicileDivisionCode, nameZh: e.nameZh, nameEn: e.nameEn },
          lines, massBalance: [], closing: { months: 1, closed: 1, late: 0, missing: 0, open: 0 }, remarks: null, enterpriseReports: 1, constituents: [], listed: [], explanations: [],
        });
      }
      const compileUnit = (u: Unit): ReportContent => {
        const children = childrenOf(tree, u.key);
        const included = children.map((c) => {
          const content = c.level === 'enterprise' ? contents.get(c.key)! : compileUnit(c);
          const constituent: Constituent = { reportId: c.key, version: 1, level: c.level, key: c.key, nameZh: c.nameZh, nameEn: c.nameEn, contentHash: contentHash(content), submittedAt: '', late: false };
          return { content, constituent };
        });
        const compiled = compile({ period: '2026-10', subject: { level: u.level, enterpriseId: null, creditCode: null, divisionCode: u.divisionCode, nameZh: u.nameZh, nameEn: u.nameEn }, included, listed: [], remarks: null });
        expect(compiled.lines).toEqual(sumLines(included.map((i) => i.content.lines)));
        expect(compiled.enterpriseReports).toBe(included.reduce((n, i) => n + i.content.enterpriseReports, 0));
        return compiled;
      };
      const national = compileUnit(tree.get(NATIONAL_KEY)!);
      expect(national.enterpriseReports).toBe(enterprises.length);
      expect(national.lines).toEqual(sumLines([...lineSets.values()]));
      expect(national.closing.closed).toBe(enterprises.length);
      expect(national.explanations.length).toBe([...lineSets.values()].flat().length);
    }
  });
});

describe('the seal', () => {
  it('verifies with the public key and fails when a figure, the seal or the key changes', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const other = generateKeyPairSync('ed25519');
    const content: ReportContent = {
      schema: REPORT_SCHEMA, period: '2026-10', subject: { level: 'county', enterpriseId: null, creditCode: null, divisionCode: '360734', nameZh: '寻乌县', nameEn: 'Xunwu County' },
      lines: [indicatorLine({ indicator: 'mining_ion_adsorption', allocated: 10n, yearToDateBefore: 1n, period: 2n, flow: 2n }, [80])],
      massBalance: [], closing: { months: 1, closed: 1, late: 0, missing: 0, open: 0 }, remarks: '备注', enterpriseReports: 1, constituents: [], listed: [], explanations: [],
    };
    const seal: Seal = { reportId: 'r', version: 1, replacesReportId: null, period: '2026-10', level: 'county', subjectKey: '360734', contentHash: contentHash(content), submittedBy: 'xunwu', submittedByName: '寻乌县工业和信息化局', submittedAt: '2026-11-10T02:00:00.000Z', keyId: 'k1', algorithm: 'Ed25519' };
    const doc = { seal, signature: signSeal(seal, privateKey), content };
    const keys = new Map([['k1', publicKey]]);
    expect(verifySignedReport(doc, keys)).toEqual({ valid: true });
    expect(verifySignedReport({ ...doc, content: { ...content, lines: [{ ...content.lines[0]!, periodReoGrams: '3' }] } }, keys)).toMatchObject({ valid: false, reason: 'content_changed' });
    expect(verifySignedReport({ ...doc, seal: { ...seal, submittedAt: '2026-11-09T02:00:00.000Z' } }, keys)).toMatchObject({ valid: false, reason: 'signature_invalid' });
    expect(verifySignedReport(doc, new Map([['k1', other.publicKey]]))).toMatchObject({ valid: false, reason: 'signature_invalid' });
    expect(verifySignedReport(doc, new Map())).toMatchObject({ valid: false, reason: 'unknown_key' });
    expect(verifySignedReport({ seal }, keys)).toMatchObject({ valid: false, reason: 'malformed' });
  });
});
