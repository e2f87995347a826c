import { describe, expect, it } from 'vitest';
import { creditCodeCheckCharacter, validateCreditCode } from './credit-code.ts';
import { formatScaledDecimal, parseScaledDecimal, DecimalFormatError } from './decimal.ts';
import { gramsToTonnes, tonnesToGrams } from './mass.ts';
import { fractionToPpm, ppmToFraction } from './fraction.ts';
import { exportControlOf, needsExportLicence, ruleStatusOn, type ExportControlRule } from './export-control.ts';
import { isIsoDate, todayInChina, validityStatus } from './validity.ts';
import { codeFitsParent, isDivisionCode, levelOfCode } from './division-code.ts';
import { addWorkingDays, isWorkingDay } from './working-days.ts';
import { article14Reduction, eligibilityProblems, thresholdsReached, utilisationBasisPoints } from './quota.ts';

describe('unified social credit code (GB 32100)', () => {
  it('accepts a published example and computes its check character', () => {
    expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(validateCreditCode('91350100M000100Y43')).toBeNull();
  });
  it('names the rule a bad code breaks', () => {
    expect(validateCreditCode('91350100M000100Y44')).toBe('check_character');
    expect(validateCreditCode('91350100M000100Y4')).toBe('length');
    expect(validateCreditCode('91350100M000100I43')).toBe('alphabet');
    expect(validateCreditCode('9135A100M000100Y43')).toBe('division_digits');
  });
  it('maps a check value of 31 to 0', () => {
    // Find a body whose weighted sum is a multiple of 31 by varying the last body character.
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    const bodies = [...alphabet].map((c) => `9111000010000134${c}`);
    expect(bodies.map(creditCodeCheckCharacter)).toContain('0');
  });
});

describe('exact decimals, masses and fractions', () => {
  it('parses decimals into scaled integers without floating point', () => {
    expect(parseScaledDecimal('0.1', 6) + parseScaledDecimal('0.2', 6)).toBe(300000n);
    expect(parseScaledDecimal(270000, 6)).toBe(270000000000n);
    expect(parseScaledDecimal('.5', 6)).toBe(500000n);
    expect(formatScaledDecimal(-1500000n, 6)).toBe('-1.500000');
  });
  it('refuses more decimals than one gram, negative numbers and text', () => {
    expect(() => tonnesToGrams('1.0000001')).toThrow(DecimalFormatError);
    expect(() => tonnesToGrams('-1')).toThrow(/negative/);
    expect(() => tonnesToGrams('12t')).toThrow(/not a decimal/);
  });
  it('converts tonnes to grams and back', () => {
    expect(tonnesToGrams('254000')).toBe(254_000_000_000n);
    expect(gramsToTonnes(1n)).toBe('0.000001');
  });
  it('keeps fractions as parts per million and names the broken rule', () => {
    expect(fractionToPpm('0.92')).toEqual({ ppm: 920000 });
    expect(fractionToPpm(1)).toEqual({ ppm: 1000000 });
    expect(fractionToPpm('1.2')).toEqual({ problem: 'above_one' });
    expect(fractionToPpm(-0.1)).toEqual({ problem: 'negative' });
    expect(fractionToPpm('0.1234567')).toEqual({ problem: 'scale' });
    expect(ppmToFraction(250000)).toBe('0.250000');
  });
});

describe('export control by date', () => {
  const rules: ExportControlRule[] = [
    { announcement: 'MOFCOM/GAC 2025 No. 18', elements: ['Sm', 'Gd', 'Tb', 'Dy', 'Lu', 'Sc', 'Y'], effectiveFrom: '2025-04-04', suspendedFrom: null, suspendedTo: null },
    { announcement: 'MOFCOM 2025 No. 57', elements: ['Ho', 'Er', 'Tm', 'Eu', 'Yb'], effectiveFrom: null, suspendedFrom: '2025-11-07', suspendedTo: '2026-11-10' },
  ];
  it('controls dysprosium from 4 April 2025 and not before', () => {
    expect(needsExportLicence('Dy', rules, '2025-04-03')).toBe(false);
    expect(needsExportLicence('Dy', rules, '2025-04-04')).toBe(true);
  });
  it('treats holmium as suspended during the suspension and not yet effective after it', () => {
    expect(ruleStatusOn(rules[1]!, '2026-01-01')).toBe('suspended');
    expect(ruleStatusOn(rules[1]!, '2026-11-11')).toBe('not_yet_effective');
    expect(needsExportLicence('Ho', rules, '2026-01-01')).toBe(false);
  });
  it('does not control neodymium', () => {
    expect(exportControlOf('Nd', rules, '2026-01-01')).toEqual([]);
  });
});

describe('validity and dates', () => {
  it('derives current, pending, expired and revoked', () => {
    const grant = { validFrom: '2025-01-01', validTo: '2026-12-31', revokedAt: null };
    expect(validityStatus(grant, '2026-06-01')).toBe('current');
    expect(validityStatus(grant, '2024-12-31')).toBe('pending');
    expect(validityStatus(grant, '2027-01-01')).toBe('expired');
    expect(validityStatus({ ...grant, revokedAt: new Date() }, '2026-06-01')).toBe('revoked');
  });
  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-13-01')).toBe(false);
  });
  it('uses China Standard Time for today', () => {
    expect(todayInChina(new Date('2026-11-21T17:00:00Z'))).toBe('2026-11-22');
  });
});

describe('division codes (GB/T 2260)', () => {
  it('derives levels from the digit pattern', () => {
    expect(levelOfCode('360000')).toBe('province');
    expect(levelOfCode('360700')).toBe('prefecture');
    expect(levelOfCode('360734')).toBe('county');
    expect(isDivisionCode('36073')).toBe(false);
  });
  it('checks a code against its parent', () => {
    expect(codeFitsParent('360734', '360700', 'prefecture')).toBe(true);
    expect(codeFitsParent('360734', '150200', 'prefecture')).toBe(false);
    expect(codeFitsParent('110105', '110000', 'province')).toBe(true);
  });
});


describe('working days on the official calendar', () => {
  const calendar = {
    offDays: new Set(['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08']),
    workedWeekends: new Set(['2025-09-28', '2025-10-11']),
  };
  it('skips the National Day holiday and counts the adjusted working weekend', () => {
    expect(isWorkingDay('2025-09-28', calendar)).toBe(true); // a Sunday worked
    expect(isWorkingDay('2025-10-06', calendar)).toBe(false); // a Monday off
    expect(addWorkingDays('2025-09-30', 1, calendar)).toBe('2025-10-09');
    expect(addWorkingDays('2025-09-26', 1, calendar)).toBe('2025-09-28');
  });
});

describe('quota rules', () => {
  it('reports thresholds reached with integer arithmetic', () => {
    expect(thresholdsReached(80n, 100n, [80, 95, 100])).toEqual([80]);
    expect(thresholdsReached(79_999_999n, 100_000_000n, [80])).toEqual([]);
    expect(thresholdsReached(1n, 0n, [80])).toEqual([80]);
    expect(utilisationBasisPoints(1n, 3n)).toBe(3333);
  });
  it('refuses ineligible recipients with every reason', () => {
    const problems = eligibilityProblems('smelting_separation', { active: true, hasCurrentDesignation: false, licenceValidTo: { safety_licence: '2025-01-01' }, capacityReoGrams: 800_000_000n }, '2026-06-01', 1_000_000_000n);
    expect(problems.map((p) => p.reason)).toEqual(['no_current_designation', 'licence_expired', 'below_minimum_capacity']);
    expect(eligibilityProblems('mining_ion_adsorption', { active: true, hasCurrentDesignation: true, licenceValidTo: { safety_licence: '2027-01-01' }, capacityReoGrams: null }, '2026-06-01', 0n).map((p) => p.reason)).toEqual(['licence_missing']);
  });
  it('computes Article 14 reductions by percent or by over-production, never beyond the draft', () => {
    const penalty = [{ documentNo: 'P1', decidedOn: '2025-05-01', overProducedReoGrams: 50_000_000n }];
    expect(article14Reduction(2_000_000_000n, penalty, { kind: 'percent', percent: 10 }).reduction).toBe(200_000_000n);
    expect(article14Reduction(2_000_000_000n, penalty, { kind: 'over_production_factor', factor: 2 }).reduction).toBe(100_000_000n);
    expect(article14Reduction(2_000_000_000n, penalty, { kind: 'over_production_factor', factor: 2, minimumPercent: 10 }).reduction).toBe(200_000_000n);
    expect(article14Reduction(100n, penalty, { kind: 'over_production_factor', factor: 2 }).reduction).toBe(100n);
    expect(article14Reduction(100n, [], { kind: 'percent', percent: 10 })).toEqual({ reduction: 0n, basis: '' });
  });
});
