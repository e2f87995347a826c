/**
 * Quota benchmark: concurrent production postings against ONE enterprise's indicator, and
 * concurrent allocations against ONE plan line, on the PostgreSQL server; each compared with a
 * baseline measured in the same run (plain concurrent INSERTs into the same table, no checks).
 * Proves afterwards that no balance is wrong. Run: DATABASE_URL=postgres://… npm run bench:quota
 *
 * The dataset is the demo country (src/modules/demo), generated deterministically per run.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows } from '../src/db/database.ts';
import { tonnesToGrams } from '../src/domain/mass.ts';
import { systemActor } from '../src/modules/auth/actor.ts';
import { actorForUsername } from '../src/modules/auth/auth.service.ts';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { addAllocation, createBatch, createPlan, listBalances, listLedger, postMonthlyProduction } from '../src/modules/quota/quota.service.ts';
import { AppError } from '../src/modules/shared/errors.ts';
import { newId } from '../src/modules/shared/ids.ts';
import { progressReporter } from '../src/cli/progress.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const PER_CLIENT = Number(process.env.BENCH_PER_CLIENT ?? 40);
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  console.error('set DATABASE_URL to a PostgreSQL server (a role that may create databases)');
  process.exit(2);
}

const name = `ytterby_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
process.env.YTTERBY_DB_POOL = String(CLIENTS);
const database = await openDatabase({ kind: 'postgres', url: url.toString() });

async function timed<T>(label: string, n: number, fn: () => Promise<T>): Promise<{ label: string; ops: number; seconds: number; perSecond: number; result: T }> {
  const start = performance.now();
  const result = await fn();
  const seconds = (performance.now() - start) / 1000;
  return { label, ops: n, seconds, perSecond: n / seconds, result };
}

try {
  await database.migrate();
  const progress = progressReporter();
  await seedDemo(database.db, progress.update);
  progress.stop();
  const db = database.db;
  const year = Number(new Date().toISOString().slice(0, 4));
  const months = Math.max(1, Number(new Date().toISOString().slice(5, 7)) - 1);
  const mineActor = await actorForUsername(db, 'xunwu-mine');
  const mine = mineActor.enterpriseId!;
  const total = CLIENTS * PER_CLIENT;

  // 1. Postings: every posting restates a month with a new figure, so each appends an entry.
  const postings = await timed('production postings, one enterprise × indicator', total, async () => {
    await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; i < PER_CLIENT; i++) {
        await postMonthlyProduction(db, mineActor, { enterpriseId: mine, year, month: ((c + i) % months) + 1, indicator: 'mining_ion_adsorption', amountTonnesReo: `${100 + c}.${String(i).padStart(3, '0')}` });
      }
    }));
  });
  const baselineInserts = await timed('baseline: plain INSERTs into ledger_entries', total, async () => {
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      for (let i = 0; i < PER_CLIENT; i++) {
        await db.execute(sql`insert into ledger_entries (id, enterprise_id, year, indicator, kind, amount_reo_grams, period_month, created_by) values (${newId()}, ${mine}, ${year + 50}, 'mining_ion_adsorption', 'consumption', -1, 1, 'bench')`);
      }
    }));
  });

  // 2. Allocations against one line sized for half the requests.
  const planYear = year + 20;
  await createPlan(db, systemActor('bench'), { year: planYear, lines: [{ indicator: 'mining_ion_adsorption', amountTonnesReo: String(total / 2) }] }, { preapproved: { historical: false, approvalDocumentNo: 'bench', approvedOn: `${planYear - 1}-12-01` } });
  const batch = await createBatch(db, systemActor('bench'), { year: planYear, name: 'bench' });
  const allocationsRun = await timed('allocations, one plan line (half refused)', total, async () => {
    let refused = 0;
    await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; i < PER_CLIENT; i++) {
        try {
          await addAllocation(db, systemActor(`bench-${c}`), batch.id, { enterpriseId: mine, indicator: 'mining_ion_adsorption', amountTonnesReo: '1' });
        } catch (error) {
          if (!(error instanceof AppError) || error.code !== 'quota.exceeds_plan_line') throw error;
          refused++;
        }
      }
    }));
    return refused;
  });
  const baselineAllocations = await timed('baseline: plain INSERTs into allocations', total, async () => {
    const [line] = await queryRows<{ id: string }>(db, sql`select id from plan_lines limit 1`);
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      for (let i = 0; i < PER_CLIENT; i++) {
        await db.execute(sql`insert into allocations (id, batch_id, year, indicator, plan_line_id, enterprise_id, amount_reo_grams, created_by) values (${newId()}, ${batch.id}, ${planYear + 1}, 'mining_ion_adsorption', ${line!.id}, ${mine}, 1, 'bench')`);
      }
    }));
  });

  // Proofs: the line holds, and every balance equals the sum of its entries.
  const [allocated] = await queryRows<{ s: string }>(db, sql`select coalesce(sum(amount_reo_grams),0)::text as s from allocations where year = ${planYear} and status <> 'withdrawn'`);
  const lineOk = BigInt(allocated!.s) === tonnesToGrams(String(total / 2));
  const entries = await listLedger(db, systemActor(), { enterpriseId: mine, year, indicator: 'mining_ion_adsorption' });
  const signed = (t: string) => (t.startsWith('-') ? -tonnesToGrams(t.slice(1)) : tonnesToGrams(t));
  const [balance] = await listBalances(db, systemActor(), { year, enterpriseId: mine, indicator: 'mining_ion_adsorption' });
  const balanceOk = signed(balance!.balanceTonnesReo) === entries.reduce((s, e) => s + signed(e.amountTonnesReo), 0n);

  const rows = [postings, baselineInserts, allocationsRun, baselineAllocations];
  console.log(`\nmachine: ${(await import('node:os')).cpus().length} cores, node ${process.version}; ${CLIENTS} clients × ${PER_CLIENT} requests`);
  console.log('scenario'.padEnd(52), 'ops'.padStart(6), 'seconds'.padStart(9), 'ops/s'.padStart(9));
  for (const r of rows) console.log(r.label.padEnd(52), String(r.ops).padStart(6), r.seconds.toFixed(2).padStart(9), r.perSecond.toFixed(0).padStart(9));
  console.log(`\nallocations refused with 409: ${allocationsRun.result} of ${total}; line total exact: ${lineOk}`);
  console.log(`balance equals the sum of ${entries.length} ledger entries: ${balanceOk}`);
  if (!lineOk || !balanceOk) process.exitCode = 1;
} finally {
  await database.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
