/**
 * Reports benchmark (Art. 9, 12), on the PostgreSQL server, in a fresh database:
 *
 * 1. the national-scale dataset: the demo country plus 131 designated mining and separation
 *    enterprises and the trace benchmark's 24 downstream ones (bench/reports-registry.ts), an
 *    approved plan and an issued batch for last year, and last year's flows from
 *    bench/trace-dataset.ts (one million events by default), loaded by COPY of the rows capture
 *    derives or through `captureDocument` (bench/reports-load.ts), with month closings;
 * 2. for every reportable month of that year and for the year: prefill and submit of every
 *    enterprise report, acceptance by the county, compilations county → prefecture → province →
 *    national, each reviewer accepting the level below first;
 * 3. for the last month and the year: the national compilation again, its preview, the national
 *    view (`reportOverview` for CN), `executionSeries` for the year, and the baseline: the same
 *    national figures as bare SQL aggregates over the ledger and the movements, which the
 *    national compilation must equal.
 *
 * Run: DATABASE_URL=postgres://… npm run bench:reports [-- --events 20000] [--load copy|capture]
 *      [--samples 50] [--periods all|measured] [--seed N] [--keep]
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Db } from '../src/db/database.ts';
import type { Indicator } from '../src/domain/quota.ts';
import { compile, MASS_FIELDS, type IndicatorLine, type MassBalanceLine, type ReportContent } from '../src/domain/reports/content.ts';
import { childrenOf, NATIONAL_KEY, type Unit } from '../src/domain/reports/hierarchy.ts';
import { formatPeriod, periodDays, periodMonths, type ReportPeriod } from '../src/domain/reports/period.ts';
import { contentHash, signSeal, type Seal } from '../src/domain/reports/seal.ts';
import { monthKey } from '../src/domain/trace/months.ts';
import { todayInChina } from '../src/domain/validity.ts';
import type { Actor } from '../src/modules/auth/actor.ts';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { executionFacts, flowIndicator, listBalances, traceRulesInForce } from '../src/modules/quota/quota.service.ts';
import { reportingEnterprises } from '../src/modules/registry/registry.service.ts';
import { products } from '../src/modules/registry/registry.tables.ts';
import { latestVersionsFor } from '../src/modules/reports/report-queries.service.ts';
import { loadUnitTree } from '../src/modules/reports/report-units.ts';
import {
  activeSigningKey, decideReport, executionSeries, prefillEnterpriseReport, previewCompilation, reportOverview, submitCompilation, submitEnterpriseReport,
} from '../src/modules/reports/reports.service.ts';
import { closingSummaries, createLocation, listLocations, periodMassBalance } from '../src/modules/trace/trace.service.ts';
import { tonnesToGrams } from '../src/domain/mass.ts';
import { progressReporter } from '../src/cli/progress.ts';
import { allocateYear, departmentActors, enterpriseActor, registerEnterprises } from './reports-registry.ts';
import { registrySnapshot } from './registry-snapshot.ts';
import { captureFlows, copyFlows, derivationMismatches, derive, insertClosings, type LoadTarget } from './reports-load.ts';
import { generateDataset, type Dataset, type OreKind } from './trace-dataset.ts';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    load: { type: 'string', default: 'copy' },
    samples: { type: 'string', default: '50' },
    periods: { type: 'string', default: 'all' },
    seed: { type: 'string', default: '20260101' },
    keep: { type: 'boolean', default: false },
  },
});
const TARGET_EVENTS = Number(args.events);
const SAMPLES = Number(args.samples);
const RECOMPILATIONS = 10;
if (args.load !== 'copy' && args.load !== 'capture') throw new Error('--load copy or --load capture');
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  console.error('set DATABASE_URL to a PostgreSQL server (a role that may create databases)');
  process.exit(2);
}

// Round trips: drizzle and the pool send every statement through Client#query, so counting its calls counts them.
// While `statements` is set, each statement's text and time are recorded too (for "where the time goes").
let queries = 0;
let statements: { text: string; ms: number }[] | null = null;
const clientQuery = pg.Client.prototype.query as (...x: unknown[]) => unknown;
pg.Client.prototype.query = function counted(this: pg.Client, ...a: unknown[]) {
  queries++;
  if (!statements) return clientQuery.apply(this, a);
  const log = statements;
  const first = a[0] as string | { text?: string };
  const text = typeof first === 'string' ? first : first?.text ?? '(stream)';
  const started = performance.now();
  const done = () => { log.push({ text, ms: performance.now() - started }); };
  const last = a[a.length - 1];
  if (typeof last === 'function') {
    a[a.length - 1] = (...r: unknown[]) => { done(); return (last as (...x: unknown[]) => unknown)(...r); };
    return clientQuery.apply(this, a);
  }
  const out = clientQuery.apply(this, a) as Promise<unknown> | undefined;
  out?.then?.(done, done);
  return out;
} as unknown as typeof pg.Client.prototype.query; // the method is heavily overloaded; the wrapper passes everything through unchanged

/** Runs fn once, recording its statements grouped by their text (parameters are $n, so one group per statement shape). */
async function profiled<T>(fn: () => Promise<T>): Promise<{ out: T; groups: { text: string; n: number; ms: number }[]; ms: number }> {
  const log: { text: string; ms: number }[] = [];
  statements = log;
  const started = performance.now();
  try {
    const out = await fn();
    const groups = new Map<string, { text: string; n: number; ms: number }>();
    for (const s of log) {
      const text = s.text.replace(/\s+/g, ' ').trim().slice(0, 90);
      const g = groups.get(text) ?? { text, n: 0, ms: 0 };
      g.n++; g.ms += s.ms;
      groups.set(text, g);
    }
    return { out, groups: [...groups.values()].sort((a, b) => b.ms - a.ms), ms: performance.now() - started };
  } finally {
    statements = null;
  }
}

const name = `ytterby_reports_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
process.env.YTTERBY_DB_POOL = '4';
const database = await openDatabase({ kind: 'postgres', url: url.toString() });
const progress = progressReporter();

// ---------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------

interface Timing { ms: number[]; queries: number }
const timing = (): Timing => ({ ms: [], queries: 0 });

async function timed<T>(t: Timing, fn: () => Promise<T>): Promise<T> {
  const q0 = queries;
  const started = performance.now();
  const out = await fn();
  t.ms.push(performance.now() - started);
  t.queries += queries - q0;
  return out;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const sorted = (ms: number[]) => [...ms].sort((a, b) => a - b);
const percentile = (ms: number[], p: number) => sorted(ms)[Math.min(ms.length - 1, Math.max(0, Math.ceil((p / 100) * ms.length) - 1))] ?? NaN;
const sum = (ms: number[]) => ms.reduce((a, b) => a + b, 0);

/** CPU seconds used so far by the PostgreSQL server processes on this machine (Linux /proc; null elsewhere). */
function postgresCpuSeconds(): number | null {
  try {
    let ticks = 0;
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
        const fields = stat.slice(close + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
      } catch { /* the process ended */ }
    }
    return ticks / 100; // USER_HZ
  } catch {
    return null;
  }
}

function row(label: string, t: Timing): string {
  const n = t.ms.length;
  return `| ${label} | ${fmt(n)} | ${(sum(t.ms) / 1000).toFixed(2)} | ${percentile(t.ms, 50).toFixed(1)} | ${percentile(t.ms, 99).toFixed(1)} | ${Math.max(...t.ms).toFixed(1)} | ${n ? (t.queries / n).toFixed(1) : '–'} |`;
}

// ---------------------------------------------------------------------------------------------
// One period's reporting, bottom-up
// ---------------------------------------------------------------------------------------------

type CompilingLevel = 'county' | 'prefecture' | 'province';
const LEVELS: readonly CompilingLevel[] = ['county', 'prefecture', 'province'];

interface PeriodRun {
  period: ReportPeriod; units: Unit[];
  prefill: Timing; submit: Timing; accept: Timing; explained: number;
  levelAccept: Record<CompilingLevel | 'national', Timing>; levelCompile: Record<CompilingLevel, Timing>;
  national: Timing; seconds: number; nodeCpu: number; pgCpu: number | null;
  slowest: { nameZh: string; ms: number; enterpriseId: string };
  profiles: Profile[];
}

interface Profile { label: string; ms: number; groups: { text: string; n: number; ms: number }[] }

/** Runs fn, profiled when asked (its statements recorded into the run's profiles). */
async function maybeProfiled<T>(run: PeriodRun, on: boolean, label: string, fn: () => Promise<T>): Promise<T> {
  if (!on) return fn();
  const p = await profiled(fn);
  run.profiles.push({ label, ms: p.ms, groups: p.groups });
  return p.out;
}

async function submitEnterprises(db: Db, run: PeriodRun, reportIds: Map<string, string>): Promise<void> {
  const p = formatPeriod(run.period);
  const enterprises = run.units.filter((u) => u.level === 'enterprise');
  for (const [k, e] of enterprises.entries()) {
    const actor = enterpriseActor(e.key, `bench-rep-${e.creditCode}`);
    const started = performance.now();
    const heaviest = e.key === heaviestEnterprise;
    const prefill = await timed(run.prefill, () => maybeProfiled(run, heaviest, `prefill, ${e.nameZh} (the most movements)`, () => prefillEnterpriseReport(db, actor, { enterpriseId: e.key, period: p })));
    // The enterprise explains what the prefill says needs explaining (thresholds crossed, ledger ≠ flows).
    const lines = prefill.explanationsRequired.map((x) => ({ indicator: x.indicator, explanation: `${x.reason}: explained by the enterprise (benchmark text)` }));
    run.explained += lines.length;
    const out = await timed(run.submit, () => maybeProfiled(run, heaviest, `submit, ${e.nameZh}`, () => submitEnterpriseReport(db, actor, { enterpriseId: e.key, period: p, lines })));
    reportIds.set(e.key, out.row.id);
    const ms = performance.now() - started;
    if (ms > run.slowest.ms) run.slowest = { nameZh: e.nameZh, ms, enterpriseId: e.key };
    progress.update(`${p} enterprise reports`, k + 1, enterprises.length);
  }
  for (const [k, e] of enterprises.entries()) {
    await timed(run.accept, () => decideReport(db, actors.get(e.parentKey!)!, reportIds.get(e.key)!, 'accept'));
    progress.update(`${p} county review`, k + 1, enterprises.length);
  }
}

async function compileUpward(db: Db, run: PeriodRun, tree: Map<string, Unit>, reportIds: Map<string, string>): Promise<void> {
  const p = formatPeriod(run.period);
  const acceptChildren = async (key: string, t: Timing) => {
    for (const child of childrenOf(tree, key)) if (child.level !== 'enterprise') await timed(t, () => decideReport(db, actors.get(key)!, reportIds.get(child.key)!, 'accept'));
  };
  for (const level of LEVELS) {
    const units = run.units.filter((u) => u.level === level);
    for (const [k, u] of units.entries()) {
      await acceptChildren(u.key, run.levelAccept[level]);
      const out = await timed(run.levelCompile[level], () => submitCompilation(db, actors.get(u.key)!, { period: p }));
      reportIds.set(u.key, out.row.id);
      progress.update(`${p} ${level} compilations`, k + 1, units.length);
    }
  }
  await acceptChildren(NATIONAL_KEY, run.levelAccept.national);
  await timed(run.national, () => maybeProfiled(run, true, 'national compilation', () => submitCompilation(db, actors.get(NATIONAL_KEY)!, { period: p })));
  progress.stop();
}

async function runPeriod(db: Db, period: ReportPeriod): Promise<PeriodRun> {
  const tree = await loadUnitTree(db, period, NATIONAL_KEY);
  const run: PeriodRun = {
    period, units: [...tree.values()], prefill: timing(), submit: timing(), accept: timing(), explained: 0,
    levelAccept: { county: timing(), prefecture: timing(), province: timing(), national: timing() },
    levelCompile: { county: timing(), prefecture: timing(), province: timing() }, national: timing(),
    seconds: 0, nodeCpu: 0, pgCpu: null, slowest: { nameZh: '', ms: 0, enterpriseId: '' }, profiles: [],
  };
  const node0 = process.cpuUsage();
  const pg0 = postgresCpuSeconds();
  const started = performance.now();
  const reportIds = new Map<string, string>();
  await submitEnterprises(db, run, reportIds);
  await compileUpward(db, run, tree, reportIds);
  run.seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(node0);
  run.nodeCpu = (cpu.user + cpu.system) / 1e6;
  const pg1 = postgresCpuSeconds();
  run.pgCpu = pg0 !== null && pg1 !== null ? pg1 - pg0 : null;
  return run;
}

// ---------------------------------------------------------------------------------------------
// The baseline: the national figures straight from the ledger and the movements
// ---------------------------------------------------------------------------------------------

interface Bare { lines: Map<string, IndicatorLine>; mass: Map<string, Record<string, string>> }

/** The enterprises that owe a report for the period, as SQL (the registry's rule, inlined). */
function reportingSql(period: ReportPeriod) {
  const { first, last } = periodDays(period);
  return sql`select distinct e.id from enterprises e join designations d on d.enterprise_id = e.id
    where e.active and d.active and d.valid_from <= ${last} and d.valid_to >= ${first} and (d.revoked_at is null or d.revoked_at >= ${`${first}T00:00:00+08:00`}::timestamptz)`;
}

async function bareAggregate(db: Db, period: ReportPeriod): Promise<Bare> {
  const { from, to } = periodMonths(period);
  const [fromKey, toKey] = [monthKey(from), monthKey(to)];
  const ledger = await queryRows<{ indicator: string; allocated: string; period: string; before: string; flow: string }>(db, sql`
    select indicator,
      coalesce(sum(amount_reo_grams) filter (where kind in ('allocation','adjustment','reduction')), 0)::text allocated,
      coalesce(-sum(amount_reo_grams) filter (where kind = 'consumption' and period_month between ${from.month} and ${to.month}), 0)::text period,
      coalesce(-sum(amount_reo_grams) filter (where kind = 'consumption' and period_month < ${from.month}), 0)::text before,
      coalesce(-sum(amount_reo_grams) filter (where kind = 'consumption' and source = 'flow' and period_month between ${from.month} and ${to.month}), 0)::text flow
    from ledger_entries where year = ${period.year} and enterprise_id in (${reportingSql(period)}) group by indicator`);
  const mk = sql`(m.year * 100 + m.month)`;
  const s = (cond: ReturnType<typeof sql>, column: 'grams' | 'reo_grams') => sql`coalesce(sum(m.${sql.raw(column)}) filter (where ${cond}), 0)::text`;
  const kinds = (k: string[]) => sql`${mk} between ${fromKey} and ${toKey} and m.kind in (${sql.join(k.map((x) => sql`${x}`), sql`, `)})`;
  const conds: Record<string, ReturnType<typeof sql>> = {
    opening: sql`${mk} < ${fromKey}`, receipts: kinds(['received', 'imported']), production: kinds(['mined', 'produced']),
    use: kinds(['used']), shipments: kinds(['shipped', 'exported']), closing: sql`true`,
  };
  const mass = await queryRows<Record<string, string>>(db, sql`
    select p.code, ${sql.join(Object.entries(conds).flatMap(([f, c]) => [sql`${s(c, 'grams')} as ${sql.identifier(`${f}Grams`)}`, sql`${s(c, 'reo_grams')} as ${sql.identifier(`${f}ReoGrams`)}`]), sql`, `)}
    from trace_movements m join products p on p.id = m.product_id
    where m.enterprise_id in (${reportingSql(period)}) and ${mk} <= ${toKey} group by p.code`);
  return {
    lines: new Map(ledger.map((l) => {
      const ytd = BigInt(l.before) + BigInt(l.period);
      return [l.indicator, { allocatedReoGrams: l.allocated, periodReoGrams: l.period, yearToDateReoGrams: String(ytd), remainingReoGrams: String(BigInt(l.allocated) - ytd), flowReoGrams: l.flow } as IndicatorLine];
    })),
    mass: new Map(mass.map((m) => [m.code!, m])),
  };
}

/** Differences between the national compilation and the bare aggregate (none when the compilation is right). */
function compareWithBare(content: ReportContent, bare: Bare): string[] {
  const out: string[] = [];
  const lineFields = ['allocatedReoGrams', 'periodReoGrams', 'yearToDateReoGrams', 'remainingReoGrams', 'flowReoGrams'] as const;
  for (const indicator of new Set<string>([...content.lines.map((l) => l.indicator), ...bare.lines.keys()])) {
    const [a, b] = [content.lines.find((l) => l.indicator === indicator), bare.lines.get(indicator)];
    for (const f of lineFields) if (a?.[f] !== b?.[f]) out.push(`${indicator}.${f}: compiled ${a?.[f]}, bare SQL ${b?.[f]}`);
  }
  for (const code of new Set<string>([...content.massBalance.map((m) => m.productCode), ...bare.mass.keys()])) {
    const [a, b] = [content.massBalance.find((m) => m.productCode === code), bare.mass.get(code)];
    for (const f of MASS_FIELDS) {
      for (const key of [`${f}Grams`, `${f}ReoGrams`] as const) {
        const sign = f === 'use' || f === 'shipments' ? -1n : 1n; // the report states uses and shipments as positive quantities
        const expected = b?.[key] === undefined ? undefined : String(sign * BigInt(b[key]!));
        if (a?.[key as keyof MassBalanceLine] !== expected) out.push(`${code}.${key}: compiled ${a?.[key as keyof MassBalanceLine]}, bare SQL ${expected}`);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Views and where their time goes
// ---------------------------------------------------------------------------------------------

interface Views {
  period: ReportPeriod; recompile: Timing; preview: Timing; overview: Timing; bare: Timing;
  overviewBytes: number; proof: string[]; nationalBytes: number; fingerprint: string;
  parts: Record<string, Timing>; reportRows: number; reportBytes: number; profiles: Profile[];
}

async function measureViews(db: Db, period: ReportPeriod): Promise<Views> {
  const p = formatPeriod(period);
  const national = actors.get(NATIONAL_KEY)!;
  const v: Views = { period, recompile: timing(), preview: timing(), overview: timing(), bare: timing(), overviewBytes: 0, proof: [], nationalBytes: 0, fingerprint: '', parts: {}, reportRows: 0, reportBytes: 0, profiles: [] };
  let last: ReportContent | null = null;
  let bare: Bare | null = null;
  for (let k = 0; k < SAMPLES; k++) {
    // Interleaved, so that load from others on the machine falls on all three alike.
    last = (await timed(v.preview, () => previewCompilation(db, national, { period: p }))).content;
    v.overviewBytes = JSON.stringify(await timed(v.overview, () => reportOverview(db, national, { period: p }))).length;
    bare = await timed(v.bare, () => bareAggregate(db, period));
    progress.update(`${p} views`, k + 1, SAMPLES);
  }
  progress.stop();
  const [stats] = await queryRows<{ n: string; bytes: string }>(db, sql`select count(*)::text n, coalesce(sum(octet_length(content::text)), 0)::text bytes from reports where period = ${p}`);
  v.reportRows = Number(stats!.n);
  v.reportBytes = Number(stats!.bytes);
  const o = await profiled(() => reportOverview(db, national, { period: p }));
  v.profiles.push({ label: 'national view (`reportOverview`, CN)', ms: o.ms, groups: o.groups });
  // Last, because every new version of the national report is one more row the views read.
  for (let k = 0; k < RECOMPILATIONS; k++) {
    // A re-compilation with new remarks is a new version: the whole path runs again.
    await timed(v.recompile, () => submitCompilation(db, national, { period: p, remarks: `re-compiled ${k + 1}` }));
  }
  v.proof = compareWithBare(last!, bare!);
  v.nationalBytes = JSON.stringify(last).length;
  // Ids differ from run to run, figures do not: equal fingerprints say two runs (copy, capture) compiled the same country.
  v.fingerprint = createHash('sha256').update(JSON.stringify([last!.lines, last!.massBalance, last!.closing, last!.enterpriseReports])).digest('hex').slice(0, 16);
  v.parts = await breakdown(db, period);
  return v;
}

/** The national compilation and the enterprise prefill taken apart: each step on its own, repeated. */
async function breakdown(db: Db, period: ReportPeriod): Promise<Record<string, Timing>> {
  const p = formatPeriod(period);
  const parts: Record<string, Timing> = {};
  const t = (label: string) => (parts[label] ??= timing());
  const key = await activeSigningKey(db);
  for (let k = 0; k < Math.min(SAMPLES, 20); k++) {
    const tree = await timed(t('national: loadUnitTree (reporting enterprises, divisions)'), () => loadUnitTree(db, period, NATIONAL_KEY));
    const children = childrenOf(tree, NATIONAL_KEY);
    const latest = await timed(t('national: latestVersionsFor (provincial compilations)'), () => latestVersionsFor(db, p, children.map((c) => ({ level: c.level, subjectKey: c.key }))));
    const included = [...latest.values()].map((r) => ({ content: r.content as ReportContent, constituent: { reportId: r.id, version: r.version, level: 'province' as const, key: r.subjectKey, nameZh: '', nameEn: '', contentHash: r.contentHash, submittedAt: r.submittedAt.toISOString(), late: r.late } }));
    const content = await timed(t('national: compile() in memory'), async () => compile({ period: p, subject: { level: 'national', enterpriseId: null, creditCode: null, divisionCode: null, nameZh: '全国', nameEn: 'National' }, included, listed: [], remarks: null }));
    await timed(t('national: content hash and Ed25519 seal'), async () => signSeal({ contentHash: contentHash(content), reportId: 'x', version: 1, replacesReportId: null, period: p, level: 'national', subjectKey: 'CN', submittedBy: 'x', submittedByName: 'x', submittedAt: new Date().toISOString(), keyId: key.id, algorithm: 'Ed25519' } satisfies Seal, key.privateKey));
    const all = [...tree.values()].filter((u) => u.key !== NATIONAL_KEY);
    await timed(t('overview: latestVersionsFor (every unit, with contents)'), () => latestVersionsFor(db, p, all.map((u) => ({ level: u.level, subjectKey: u.key }))));
    progress.update(`${p} breakdown`, k + 1, Math.min(SAMPLES, 20));
  }
  progress.stop();
  // The bottom-up work: each enterprise's prefill queries, over every reporting enterprise.
  const { from, to } = periodMonths(period);
  const today = todayInChina();
  const enterprises = await reportingEnterprises(db, periodDays(period));
  for (const [k, e] of enterprises.entries()) {
    await timed(t('prefill: reportingEnterprises (the enterprise, by id)'), () => reportingEnterprises(db, periodDays(period), { enterpriseId: e.id }));
    await timed(t('prefill: executionFacts (ledger)'), () => executionFacts(db, [e.id], period.year, from.month, to.month));
    await timed(t('prefill: periodMassBalance (movements)'), () => periodMassBalance(db, e.id, from, to));
    await timed(t('prefill: closingSummaries'), () => closingSummaries(db, [e.id], from, to, today));
    progress.update(`${p} prefill breakdown`, k + 1, enterprises.length);
  }
  progress.stop();
  return parts;
}

// ---------------------------------------------------------------------------------------------
// Setup: registry, quota, dataset, load
// ---------------------------------------------------------------------------------------------

const actors = new Map<string, Actor>();
/** The reporting enterprise with the most movements: its prefill and submit are profiled statement by statement. */
let heaviestEnterprise = '';

interface Loaded { ds: Dataset; target: LoadTarget; loadLine: string; reportingEnterprises: number; allocated: number; totalEnterprises: number }

async function loadTarget(db: Db, year: number, ds: Dataset): Promise<LoadTarget> {
  const catalogue = await db.select({ id: products.id, code: products.code, category: products.category }).from(products);
  const balances = await listBalances(db, actors.get(NATIONAL_KEY)!, { year });
  const oreIndicator = async (ore: OreKind) => (await flowIndicator(db, year, 'mining', ore))!;
  return {
    year, enterpriseIds: ds.input.enterprises.map((e) => e.id), operators: ds.input.enterprises.map((_, i) => `bench-op-${i}`),
    products: new Map(catalogue.map((p) => [p.code, { id: p.id, mineral: p.category === 'mineral_product' }])),
    miningIndicator: { rock_type: await oreIndicator('rock_type'), ion_adsorption: await oreIndicator('ion_adsorption') },
    allocatedGrams: new Map(balances.map((b) => [`${b.enterpriseId}:${b.indicator as Indicator}`, Number(tonnesToGrams(b.allocatedTonnesReo))])),
  };
}

/** Mines registered by their enterprise before any mining event names them. */
async function registerMines(db: Db, ds: Dataset): Promise<void> {
  const registered = new Set((await listLocations(db, actors.get(NATIONAL_KEY)!, {})).map((l) => l.uri));
  for (const [k, m] of ds.mines.entries()) {
    const e = ds.input.enterprises[m.enterprise]!;
    if (!registered.has(m.uri)) {
      await createLocation(db, enterpriseActor(e.id, `bench-op-${m.enterprise}`), { siteCode: m.siteCode, kind: 'mine', oreKind: m.oreKind, nameZh: m.nameZh, nameEn: m.nameEn, divisionCode: m.divisionCode });
    }
    progress.update('mines', k + 1, ds.mines.length);
  }
}

async function loadFlows(db: Db, ds: Dataset, target: LoadTarget): Promise<string> {
  const derivation = derive(ds, target);
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    let line: string;
    if (args.load === 'copy') {
      const c = await copyFlows(client, ds, target, derivation, progress.update);
      line = `COPY of derived rows: ${fmt(c.lots)} trace_lots, ${fmt(c.movements)} trace_movements, ${fmt(c.ledger)} flow ledger_entries in ${c.seconds.toFixed(1)} s`;
    } else {
      const opActors = ds.input.enterprises.map((e, i) => enterpriseActor(e.id, `bench-op-${i}`));
      const seconds = await captureFlows(db, ds, opActors, progress.update);
      const check = await derivationMismatches(db, ds, target, derivation);
      line = `captureDocument: ${fmt(ds.docs.length)} documents in ${seconds.toFixed(1)} s (${fmt(ds.stats.events / seconds)} events/s); the COPY derivation matches what capture stored over ${fmt(check.keys)} sums: ${check.mismatches.length === 0}`;
      for (const m of check.mismatches.slice(0, 10)) console.error(`  mismatch: ${m}`);
      if (check.mismatches.length) process.exitCode = 1;
    }
    const closingDay = (await traceRulesInForce(db, todayInChina())).monthClosingDay;
    const closings = await insertClosings(client, ds, target, closingDay, Number(args.seed));
    const t = performance.now();
    await client.query('analyze');
    return `${line}; ${fmt(closings)} month closings; ANALYZE ${((performance.now() - t) / 1000).toFixed(1)} s`;
  } finally {
    await client.end();
  }
}

async function setUp(db: Db, year: number): Promise<Loaded> {
  await seedDemo(db, progress.update);
  await registerEnterprises(db, progress.update);
  const allocated = await allocateYear(db, year, progress.update);
  const tree = await loadUnitTree(db, { kind: 'year', year }, NATIONAL_KEY);
  for (const [k, a] of await departmentActors(db, [...tree.values()], progress.update)) actors.set(k, a);
  const { enterprises, catalogue } = await registrySnapshot(db, { year, firstDay: `${year}-01-01`, lastDay: `${year}-12-31` });
  progress.stop();
  console.error(`generating at least ${fmt(TARGET_EVENTS)} events of ${year} (a minute per million, no progress bar) …`);
  const t0 = performance.now();
  const ds = generateDataset({ seed: Number(args.seed), targetEvents: TARGET_EVENTS, year, firstDay: `${year}-01-01`, lastDay: `${year}-12-31`, enterprises, products: catalogue });
  const st = ds.stats;
  console.error(`\ndataset: ${fmt(st.events)} events in ${fmt(st.documents)} documents from ${st.enterprisesWithEvents} of ${enterprises.length} enterprises, ${fmt(st.lots)} lots; generated and replay-checked in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await registerMines(db, ds);
  const target = await loadTarget(db, year, ds);
  const loadLine = await loadFlows(db, ds, target);
  console.error(loadLine);
  const reporting = [...tree.values()].filter((u) => u.level === 'enterprise').length;
  return { ds, target, loadLine, reportingEnterprises: reporting, allocated, totalEnterprises: enterprises.length };
}

/** Months of the year whose reports the rules in force can compute (the reporting rules took effect mid-2025). */
async function reportableMonths(db: Db, year: number): Promise<ReportPeriod[]> {
  const [r] = await queryRows<{ since: string }>(db, sql`select max(f)::text since from (select min(effective_from) f from quota_rules group by key) x`);
  const months: ReportPeriod[] = [];
  for (let month = 1; month <= 12; month++) {
    const p: ReportPeriod = { kind: 'month', year, month };
    if (periodDays(p).last >= r!.since) months.push(p);
  }
  return months;
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

function printRun(run: PeriodRun, v: Views): void {
  const p = formatPeriod(run.period);
  const count = (l: string) => run.units.filter((u) => u.level === l).length;
  console.log(`\n### ${p}: ${count('enterprise')} enterprise reports (${run.explained} lines explained), ${count('county')} counties, ${count('prefecture')} prefectures, ${count('province')} provinces`);
  console.log(`whole pipeline ${run.seconds.toFixed(1)} s wall; Node CPU ${run.nodeCpu.toFixed(1)} s, PostgreSQL CPU ${run.pgCpu === null ? '?' : run.pgCpu.toFixed(1)} s; slowest enterprise report (prefill + submit) ${run.slowest.nameZh} ${run.slowest.ms.toFixed(0)} ms\n`);
  console.log('| step | ops | total s | p50 ms | p99 ms | max ms | queries/op |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  console.log(row('prefill (`prefillEnterpriseReport`)', run.prefill));
  console.log(row('submit, sealed (`submitEnterpriseReport`)', run.submit));
  console.log(row('accept by the county (`decideReport`)', run.accept));
  for (const level of LEVELS) {
    if (level !== 'county') console.log(row(`${level}: accept the compilations below`, run.levelAccept[level]));
    console.log(row(`${level} compilations (\`submitCompilation\`)`, run.levelCompile[level]));
  }
  console.log(row('national: accept the provincial compilations', run.levelAccept.national));
  console.log(row('**national compilation** (`submitCompilation`, CN)', run.national));
  console.log(row(`national re-compilation (new remarks, new version) ×${RECOMPILATIONS}`, v.recompile));
  console.log(row('national preview (`previewCompilation`)', v.preview));
  console.log(row('**national view** (`reportOverview`, CN)', v.overview));
  console.log(row('baseline: bare SQL, ledger per indicator + mass balance per product', v.bare));
  console.log(`\nnational compilation ${fmt(v.nationalBytes)} bytes of JSON; national view ${fmt(v.overviewBytes)} bytes; the view read ${fmt(v.reportRows)} report rows for ${p} (${fmt(v.reportBytes / 1024)} KiB of content as JSON text)`);
  console.log(`national compilation equals the bare SQL aggregate (every indicator line, every product's mass balance): ${v.proof.length === 0}; figures fingerprint ${v.fingerprint}`);
  for (const d of v.proof.slice(0, 10)) console.log(`  difference: ${d}`);
  const bare50 = percentile(v.bare.ms, 50);
  console.log(`baseline p50 / national compilation: ${(bare50 / run.national.ms[0]!).toFixed(1)}× (first), ${(bare50 / percentile(v.recompile.ms, 50)).toFixed(1)}× (re-compilations, p50); every prefill and submit together: ${((sum(run.prefill.ms) + sum(run.submit.ms)) / bare50).toFixed(1)}× the baseline; the whole bottom-up pipeline: ${(run.seconds * 1000 / bare50).toFixed(1)}×`);
  console.log('\n| where the time goes | ops | total s | p50 ms | p99 ms | max ms | queries/op |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [label, t] of Object.entries(v.parts)) console.log(row(label, t));
  for (const pr of [...run.profiles, ...v.profiles]) {
    const n = pr.groups.reduce((a, g) => a + g.n, 0);
    console.log(`\n${pr.label}: ${pr.ms.toFixed(1)} ms, ${n} statements taking ${pr.groups.reduce((a, g) => a + g.ms, 0).toFixed(1)} ms; the costliest:\n`);
    console.log('| statements | ms | statement |');
    console.log('| ---: | ---: | --- |');
    for (const g of pr.groups.slice(0, 8)) console.log(`| ${g.n} | ${g.ms.toFixed(1)} | \`${g.text.replace(/\|/g, '\\|')}\` |`);
  }
}

/** One line per period: the whole bottom-up pipeline at a glance. */
function printSummary(runs: PeriodRun[]): void {
  console.log('\n| period | reports | prefill + submit p50 ms | accept p50 ms | county / prefecture / province compilation p50 ms | national compilation ms | pipeline s |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of runs) {
    const both = r.prefill.ms.map((m, i) => m + (r.submit.ms[i] ?? 0));
    const levels = LEVELS.map((l) => percentile(r.levelCompile[l].ms, 50).toFixed(0)).join(' / ');
    console.log(`| ${formatPeriod(r.period)} | ${r.prefill.ms.length} | ${percentile(both, 50).toFixed(0)} | ${percentile(r.accept.ms, 50).toFixed(0)} | ${levels} | ${r.national.ms[0]!.toFixed(0)} | ${r.seconds.toFixed(1)} |`);
  }
}

async function machineLine(db: Db): Promise<string> {
  const version = (await queryRows<{ v: string }>(db, sql`select version() as v`))[0]!.v.split(' on ')[0];
  return `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${version}`;
}

try {
  await database.migrate();
  const db = database.db;
  const year = Number(todayInChina().slice(0, 4)) - 1; // last year: a whole year of flows, and its annual report is due
  const load0 = loadavg()[0]!;
  const loaded = await setUp(db, year);
  const months = await reportableMonths(db, year);
  const [heavy] = await queryRows<{ id: string }>(db, sql`select enterprise_id id from trace_movements where enterprise_id in (${reportingSql({ kind: 'year', year })}) group by 1 order by count(*) desc limit 1`);
  heaviestEnterprise = heavy?.id ?? '';
  const measuredMonth = months[months.length - 1]!;
  const periods: ReportPeriod[] = [...(args.periods === 'all' ? months : [measuredMonth]), { kind: 'year', year }];
  const runs: PeriodRun[] = [];
  for (const period of periods) runs.push(await runPeriod(db, period));
  const series = timing();
  for (let k = 0; k < SAMPLES; k++) {
    await timed(series, () => executionSeries(db, actors.get(NATIONAL_KEY)!, { year }));
    progress.update('executionSeries', k + 1, SAMPLES);
  }
  progress.stop();
  const seriesProfile = await profiled(() => executionSeries(db, actors.get(NATIONAL_KEY)!, { year }));
  const [seriesRows] = await queryRows<{ n: string; bytes: string }>(db, sql`select count(*)::text n, coalesce(sum(octet_length(content::text)), 0)::text bytes from reports where period like ${`${year}-%`} and status <> 'returned'`);
  const views = new Map<string, Views>();
  for (const period of [measuredMonth, { kind: 'year', year } as ReportPeriod]) views.set(formatPeriod(period), await measureViews(db, period));
  const load1 = loadavg()[0]!;

  const st = loaded.ds.stats;
  console.log(`\n${await machineLine(db)}; load average ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end`);
  console.log(`dataset: ${fmt(st.events)} events (${Object.entries(st.byTier).sort().map(([k, n]) => `${k} ${fmt(n)}`).join(', ')}), ${fmt(st.lots)} lots, ${year}-01-01 – ${year}-12-31, from ${st.enterprisesWithEvents} of ${loaded.totalEnterprises} enterprises; ${loaded.reportingEnterprises} designated (owing reports for some of ${year}), ${loaded.allocated} allocated ${year} quota`);
  console.log(`load (--load ${args.load}): ${loaded.loadLine}`);
  printSummary(runs);
  for (const run of runs) { const v = views.get(formatPeriod(run.period)); if (v) printRun(run, v); }
  console.log(`\nexecutionSeries(${year}) for CN ×${SAMPLES}: p50 ${percentile(series.ms, 50).toFixed(1)} ms, p99 ${percentile(series.ms, 99).toFixed(1)} ms, ${(series.queries / series.ms.length).toFixed(1)} queries; its statement took ${seriesProfile.groups[0]?.ms.toFixed(1)} ms and read ${fmt(Number(seriesRows!.n))} report rows (${fmt(Number(seriesRows!.bytes) / 1024)} KiB of content as JSON text)`);
  const failed = [...views.values()].some((v) => v.proof.length > 0);
  if (failed) process.exitCode = 1;
} finally {
  progress.stop();
  await database.close();
  if (args.keep) console.error(`kept database ${name}`);
  else await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
