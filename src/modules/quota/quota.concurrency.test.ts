import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoApp, type Fixture } from '../../../test/support/fixture.ts';
import { signIn } from '../../../test/support/api.ts';
import { approvedPlan, enterpriseOf, openBatch } from '../../../test/support/quota.ts';
import { AppError } from '../shared/errors.ts';
import { systemActor } from '../auth/actor.ts';
import { addAllocation, getBatch, issueBatch, listBalances, listLedger, postMonthlyProduction, prepareBatch, subAllocate } from './quota.service.ts';
import { tonnesToGrams } from '../../domain/mass.ts';

const WRITERS = 32;

// SERIALIZABLE and row locks can never conflict on PGlite (one connection), so the proof runs on the server only.
describe.skipIf(!process.env.DATABASE_URL)('[postgres] concurrent writers never push allocations past the line', () => {
  let fx: Fixture;
  beforeAll(async () => { fx = await demoApp('postgres'); });
  afterAll(() => fx?.close());

  it(`${WRITERS} writers asking for more than the line together: the total stays within it and the refused get 409`, async () => {
    await approvedPlan(fx.app, 2033, { mining_ion_adsorption: '10000' });
    const admin = await signIn(fx.app, 'admin');
    const batch = await openBatch(admin, 2033);
    const mine = await enterpriseOf(fx.app, 'xunwu-mine');
    const results = await Promise.allSettled(Array.from({ length: WRITERS }, (_, i) =>
      addAllocation(fx.database.db, systemActor(`writer-${i}`), batch, { enterpriseId: mine, indicator: 'mining_ion_adsorption', amountTonnesReo: '400' })));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(25);
    expect(refused).toHaveLength(WRITERS - 25);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(AppError);
      expect((r.reason as AppError).kind).toBe('conflict'); // 409 over HTTP
      expect((r.reason as AppError).code).toBe('quota.exceeds_plan_line');
    }
    const total = (await getBatch(fx.database.db, systemActor(), batch)).allocations.reduce((s, a) => s + tonnesToGrams(a.amountTonnesReo), 0n);
    expect(total).toBe(tonnesToGrams('10000'));
  });

  it(`${WRITERS} concurrent sub-allocations never exceed what the group received`, async () => {
    const admin = await signIn(fx.app, 'admin');
    await approvedPlan(fx.app, 2034, { mining_ion_adsorption: '10000' });
    const batch = await openBatch(admin, 2034);
    const creg = ((await admin.get('/api/groups?pageSize=50')).json.items as { id: string; code: string }[]).find((g) => g.code === 'CREG')!;
    const parent = await admin.post(`/api/quota/batches/${batch}/allocations`, { groupId: creg.id, indicator: 'mining_ion_adsorption', amountTonnesReo: '3000' });
    await prepareBatch(fx.database.db, systemActor('preparer'), batch);
    await issueBatch(fx.database.db, systemActor('approver'), batch);
    const mine = await enterpriseOf(fx.app, 'xunwu-mine');
    const results = await Promise.allSettled(Array.from({ length: WRITERS }, (_, i) =>
      subAllocate(fx.database.db, systemActor(`group-clerk-${i}`), parent.json.id, { enterpriseId: mine, amountTonnesReo: '100' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(30);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).code).toBe('quota.exceeds_group_allocation');
    const ledger = await listLedger(fx.database.db, systemActor(), { enterpriseId: mine, year: 2034 });
    expect(ledger.reduce((s, e) => s + tonnesToGrams(e.amountTonnesReo), 0n)).toBe(tonnesToGrams('3000'));
  });

  it(`${WRITERS} concurrent production postings: each month keeps one figure and the balance equals the ledger sum`, async () => {
    const mine = await enterpriseOf(fx.app, 'xunwu-mine');
    const year = Number(new Date().toISOString().slice(0, 4));
    const months = Math.max(1, Number(new Date().toISOString().slice(5, 7)) - 1);
    await Promise.all(Array.from({ length: WRITERS }, (_, i) =>
      postMonthlyProduction(fx.database.db, systemActor('erp'), { enterpriseId: mine, year, month: (i % months) + 1, indicator: 'mining_ion_adsorption', amountTonnesReo: '10' })));
    const entries = await listLedger(fx.database.db, systemActor(), { enterpriseId: mine, year, indicator: 'mining_ion_adsorption' });
    const signed = (t: string) => (t.startsWith('-') ? -tonnesToGrams(t.slice(1)) : tonnesToGrams(t));
    for (let month = 1; month <= Math.min(months, WRITERS); month++) {
      const monthTotal = entries.filter((e) => e.kind === 'consumption' && e.periodMonth === month).reduce((s, e) => s + signed(e.amountTonnesReo), 0n);
      expect(monthTotal).toBe(-tonnesToGrams('10'));
    }
    const [balance] = await listBalances(fx.database.db, systemActor(), { year, enterpriseId: mine, indicator: 'mining_ion_adsorption' });
    expect(signed(balance!.balanceTonnesReo)).toBe(entries.reduce((s, e) => s + signed(e.amountTonnesReo), 0n));
    expect(signed(balance!.consumedTonnesReo)).toBe(tonnesToGrams('10') * BigInt(months));
  });
});
