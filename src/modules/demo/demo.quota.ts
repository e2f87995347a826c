/**
 * Demo quota data: the published national indicators 2014–2024 as approved history, and a
 * current year with two issued batches (one to enterprises, one to a group that sub-allocates),
 * monthly production and the alerts it raised, including planted over-quota cases.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Db } from '../../db/database.ts';
import type { Indicator } from '../../domain/quota.ts';
import { todayInChina } from '../../domain/validity.ts';
import { systemActor } from '../auth/actor.ts';
import { enterpriseFacts, findGroupByCode, listEnterprises, REFERENCE_DIR } from '../registry/registry.service.ts';
import {
  addAllocation, createBatch, createPlan, eligibilityOf, issueBatch, listBalances, postMonthlyProduction, prepareBatch, subAllocate,
} from '../quota/quota.service.ts';
import { gramsToTonnes, tonnesToGrams } from '../../domain/mass.ts';

type Progress = (step: string, done: number, total: number) => void;

/** Loads quota-history.csv as approved historical plans. */
export async function seedQuotaHistory(db: Db, onProgress: Progress = () => undefined): Promise<number> {
  const rows: Record<string, string>[] = parse(readFileSync(`${REFERENCE_DIR}quota-history.csv`, 'utf8'), { columns: true, skip_empty_lines: true, trim: true });
  const actor = systemActor('demo-seed');
  const usable = rows.filter((r) => r.mining_total_t_reo);
  for (const [i, r] of usable.entries()) {
    const lines: { indicator: Indicator; amountTonnesReo: string }[] = [];
    if (r.mining_rock_type_t_reo && r.mining_ion_adsorption_t_reo) {
      lines.push({ indicator: 'mining_rock_type', amountTonnesReo: r.mining_rock_type_t_reo }, { indicator: 'mining_ion_adsorption', amountTonnesReo: r.mining_ion_adsorption_t_reo });
    } else lines.push({ indicator: 'mining', amountTonnesReo: r.mining_total_t_reo! });
    if (r.smelting_separation_t_reo) lines.push({ indicator: 'smelting_separation', amountTonnesReo: r.smelting_separation_t_reo });
    const note = [r.batches ? `${r.batches} batches` : '', r.note ?? ''].filter(Boolean).join('; ') || null;
    await createPlan(db, actor, { year: Number(r.year), lines, basisText: 'Published national total control indicators (MIIT/MNR notices).' }, {
      preapproved: { historical: true, approvalDocumentNo: 'published', approvedOn: `${r.year}-01-01`, ...(note ? { note } : {}) },
    });
    onProgress('quota history', i + 1, usable.length);
  }
  return usable.length;
}

// Demo figures for the current year: 2025 and later indicators were issued without publication.
const CURRENT_LINES: Record<'mining_rock_type' | 'mining_ion_adsorption' | 'smelting_separation', number> = {
  mining_rock_type: 260_000, mining_ion_adsorption: 19_150, smelting_separation: 254_000,
};
/** Utilisation so far for the planted cases, by the username of their operator: over quota, and past 95%. */
const PLANTED: Record<string, number> = { 'baotou-sep': 1.08, 'longnan-sep': 0.97 };

export async function seedCurrentYear(db: Db, operatorOf: Map<string, string>, onProgress: Progress = () => undefined): Promise<void> {
  const today = todayInChina();
  const year = Number(today.slice(0, 4));
  const lastMonth = Number(today.slice(5, 7)) - 1;
  const admin = systemActor('demo-seed');
  const approver = systemActor('demo-approver');
  await createPlan(db, admin, {
    year, basisText: 'Demo figures: reserves, industry development, ecological protection and market demand considered (Art. 5).',
    basisFigures: { reservesMtReo: '44', demandGrowthPercent: '6' },
    lines: Object.entries(CURRENT_LINES).map(([indicator, t]) => ({ indicator: indicator as Indicator, amountTonnesReo: String(t) })),
  }, { preapproved: { historical: false, approvalDocumentNo: `国函〔${year}〕demo`, approvedOn: `${year}-01-20`, note: '演示数据，未公布 (demo figures; not published)' } });

  // Eligible producers per indicator, allocated by capacity.
  const page = await listEnterprises(db, admin, { page: 1, pageSize: 500, order: 'asc' });
  const eligible: Record<string, { id: string; capacity: bigint }[]> = { mining_rock_type: [], mining_ion_adsorption: [], smelting_separation: [] };
  for (const e of page.items) {
    for (const indicator of Object.keys(eligible) as Indicator[]) {
      const eligibility = await eligibilityOf(db, e.id, indicator);
      if (eligibility && eligibility.problems.length === 0) {
        eligible[indicator]!.push({ id: e.id, capacity: eligibility.facts.capacityReoGrams ?? 0n });
      }
    }
  }
  const first = await createBatch(db, admin, { year, name: '第一批', documentNo: `工信部联原〔${year}〕12号` });
  const creg = await findGroupByCode(db, 'CREG');
  const groupMembersForSplit: { id: string; share: bigint }[] = [];
  let done = 0;
  for (const [indicator, members] of Object.entries(eligible)) {
    const line = tonnesToGrams(String(CURRENT_LINES[indicator as keyof typeof CURRENT_LINES]));
    const half = line / 2n;
    const capacity = members.reduce((s, m) => s + m.capacity, 0n) || 1n;
    for (const m of members) {
      const grams = (half * m.capacity) / capacity / 1_000_000n * 1_000_000n; // whole tonnes
      if (grams <= 0n) continue;
      const facts = (await enterpriseFacts(db, m.id))!;
      if (indicator === 'smelting_separation' && creg && facts.groupId === creg.id && groupMembersForSplit.length < 3) {
        groupMembersForSplit.push({ id: m.id, share: grams });
      }
      await addAllocation(db, admin, first.id, { enterpriseId: m.id, indicator: indicator as Indicator, amountTonnesReo: (grams / 1_000_000n).toString(), basis: { capacity: 'capacity share', technicalLevel: 'meets standard', environmentalSafety: 'no violations' } });
      onProgress('current-year allocations', ++done, Object.values(eligible).flat().length);
    }
  }
  await prepareBatch(db, admin, first.id);
  await issueBatch(db, approver, first.id);

  // A second batch to the group, which splits it among three members.
  if (creg && groupMembersForSplit.length) {
    const second = await createBatch(db, admin, { year, name: '第二批', documentNo: `工信部联原〔${year}〕58号` });
    const total = groupMembersForSplit.reduce((s, m) => s + m.share, 0n) / 1_000_000n;
    const parent = await addAllocation(db, admin, second.id, { groupId: creg.id, indicator: 'smelting_separation', amountTonnesReo: total.toString(), basis: { note: 'to China Rare Earth Group for its separation plants' } });
    await prepareBatch(db, admin, second.id);
    await issueBatch(db, approver, second.id);
    for (const m of groupMembersForSplit) await subAllocate(db, admin, parent.id, { enterpriseId: m.id, amountTonnesReo: (m.share / 1_000_000n).toString() });
  }

  // Monthly production January to last month; planted enterprises run hot.
  let posted = 0;
  const producers = Object.entries(eligible).flatMap(([indicator, ms]) => ms.map((m) => ({ indicator: indicator as Indicator, id: m.id })));
  for (const p of producers) {
    const balance = await listBalances(db, admin, { year, enterpriseId: p.id, indicator: p.indicator });
    const allocated = tonnesToGrams(balance[0]?.allocatedTonnesReo ?? '0');
    const target = PLANTED[operatorOf.get(p.id) ?? ''] ?? 0.55 + ((p.id.charCodeAt(p.id.length - 1) % 20) / 100);
    const perMonth = (allocated * BigInt(Math.round(target * 1000))) / 1000n / BigInt(Math.max(lastMonth, 1)) / 1000n * 1000n; // whole kilograms
    for (let month = 1; month <= lastMonth; month++) {
      await postMonthlyProduction(db, admin, { enterpriseId: p.id, year, month, indicator: p.indicator, amountTonnesReo: gramsToTonnes(perMonth) });
    }
    onProgress('current-year production', ++posted, producers.length);
  }
}
