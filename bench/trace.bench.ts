/**
 * Traceability benchmark, on the PostgreSQL server:
 *
 * 1. capture throughput: a national-scale year of product flows (bench/trace-dataset.ts: mining,
 *    imports, separation, shipments and receipts, metal, magnets, exports; one million events by
 *    default) captured document by document (1,000 events each) through `captureDocument`, as
 *    each recording enterprise's operator; beside it, in the same run, a raw `COPY` of the same
 *    stored event rows into a copy of `epcis_events` (defaults only, and with all its indexes);
 * 2. genealogy latency: p50 / p99 of upstream traces (magnet and exported lots → mines) and
 *    downstream traces (mined lots → everything made of them) through the genealogy service,
 *    beside a bare recursive CTE over `trace_lot_edges` for the same traces.
 *
 * Run: DATABASE_URL=postgres://… npm run bench:trace [-- --events 20000] [--samples 200] [--keep]
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows } from '../src/db/database.ts';
import { documentEvents, eventHashId } from '../src/domain/epcis/event-hash.ts';
import { actorForUsername, createUser, systemActor, type Actor } from '../src/modules/auth/auth.service.ts';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createEnterprise } from '../src/modules/registry/registry.service.ts';
import { AppError } from '../src/modules/shared/errors.ts';
import { epcisSchemaProblems } from '../src/modules/trace/epcis-schema.ts';
import { captureDocument, createLocation, genealogy, listLocations } from '../src/modules/trace/trace.service.ts';
import { progressReporter } from '../src/cli/progress.ts';
import { registrySnapshot } from './registry-snapshot.ts';
import {
  epcisDocument, epcisEvent, extraEnterprises, generateDataset, lotUriOf, type Dataset,
} from './trace-dataset.ts';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '200' },
    seed: { type: 'string', default: '20260101' },
    keep: { type: 'boolean', default: false },
  },
});
const TARGET_EVENTS = Number(args.events);
const SAMPLES = Number(args.samples);
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  console.error('set DATABASE_URL to a PostgreSQL server (a role that may create databases)');
  process.exit(2);
}

const name = `ytterby_trace_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
process.env.YTTERBY_DB_POOL = '4';
const database = await openDatabase({ kind: 'postgres', url: url.toString() });
const copyFile = join(tmpdir(), `${name}.copy`);

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;

/** CPU seconds used so far by every PostgreSQL server process on this machine (Linux /proc; null elsewhere). */
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


try {
  await database.migrate();
  const db = database.db;
  const progress = progressReporter();
  await seedDemo(db, progress.update);

  // Registry: the demo country plus downstream enterprises registered through the registry service.
  const system = systemActor('trace-bench');
  const extras = extraEnterprises();
  for (const [i, e] of extras.entries()) {
    await createEnterprise(db, system, { ...e, activities: e.activities as Parameters<typeof createEnterprise>[2]['activities'] });
    progress.update('bench enterprises', i + 1, extras.length);
  }

  // The year so far, in China time: 1 January to yesterday.
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const year = Number(today.slice(0, 4));
  const lastDay = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const firstDay = `${year}-01-01`;

  const { enterprises: registry, catalogue } = await registrySnapshot(db, { year, firstDay, lastDay });

  // The dataset.
  const t0 = performance.now();
  const ds: Dataset = generateDataset({ seed: Number(args.seed), targetEvents: TARGET_EVENTS, year, firstDay, lastDay, enterprises: registry, products: catalogue });
  const generationSeconds = (performance.now() - t0) / 1000;
  const st = ds.stats;
  console.error(`\ndataset: ${fmt(st.events)} events in ${fmt(st.documents)} documents (${fmt(st.fullDocuments)} of 1,000 events) from ${st.enterprisesWithEvents} of ${registry.length} enterprises, ${fmt(st.lots)} lots, ${fmt(st.edges)} genealogy edges; generated and replay-checked in ${generationSeconds.toFixed(1)} s`);
  console.error(`  by tier: ${Object.entries(st.byTier).sort().map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);
  console.error(`  mined ${fmt(st.minedReoTonnes)} t REO, imported ${fmt(st.importedReoTonnes)} t REO, exported ${fmt(st.exportedReoTonnes)} t REO; ${firstDay} – ${lastDay}`);

  // An operator account per recording enterprise: captures run as that enterprise.
  const actors = new Map<number, Actor>();
  const recording = [...new Set(ds.docs.map((d) => d.enterprise))];
  for (const [k, i] of recording.entries()) {
    const username = `bench-op-${i}`;
    await createUser(db, system, { username, displayName: `Bench operator (${registry[i]!.nameZh})`, password: `Bench-${randomBytes(9).toString('base64url')}`, role: 'enterprise_operator', enterpriseId: registry[i]!.id });
    actors.set(i, await actorForUsername(db, username));
    progress.update('bench operators', k + 1, recording.length);
  }

  // Mines, registered by their enterprise through the locations service before any mining event names them
  // (the demo already registered each miner's MINE-1).
  const registered = new Set((await listLocations(db, system, {})).map((l) => l.uri));
  for (const [k, m] of ds.mines.entries()) {
    if (!registered.has(m.uri)) {
      await createLocation(db, actors.get(m.enterprise)!, { siteCode: m.siteCode, kind: 'mine', oreKind: m.oreKind, nameZh: m.nameZh, nameEn: m.nameEn, divisionCode: m.divisionCode });
    }
    progress.update('mines', k + 1, ds.mines.length);
  }

  // Where the time of a capture goes outside the database: the same documents through the schema and the hash alone.
  const probeDocs = [...ds.docs].sort((a, b) => b.to - b.from - (a.to - a.from)).slice(0, 20);
  let schemaMs = 0;
  let hashMs = 0;
  let buildMs = 0;
  let probeEvents = 0;
  for (const d of probeDocs) {
    let t = performance.now();
    const { document, raw } = epcisDocument(ds, d);
    JSON.parse(raw);
    buildMs += performance.now() - t;
    t = performance.now();
    epcisSchemaProblems(document);
    schemaMs += performance.now() - t;
    t = performance.now();
    const { events, context } = documentEvents(document);
    for (const e of events) eventHashId(e, context);
    hashMs += performance.now() - t;
    probeEvents += d.to - d.from;
  }

  // 1. Capture, document by document, in the order the flows need.
  let captureMs = 0;
  let stored = 0;
  const node0 = process.cpuUsage();
  const pg0 = postgresCpuSeconds();
  const wall0 = performance.now();
  const load0 = loadavg()[0]!;
  let gcMs = 0;
  const gcObserver = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcMs += e.duration; });
  gcObserver.observe({ entryTypes: ['gc'] });
  for (const [k, d] of ds.docs.entries()) {
    const { document, raw } = epcisDocument(ds, d);
    const t = performance.now();
    try {
      const job = await captureDocument(db, actors.get(d.enterprise)!, document, raw);
      stored += job.storedCount;
    } catch (error) {
      progress.stop();
      console.error(`\ndocument ${k + 1} of ${ds.docs.length} (${registry[d.enterprise]!.nameEn}, its document ${d.index + 1}, events ${d.from}–${d.to - 1} of its stream) was refused:`);
      if (error instanceof AppError) {
        console.error(`${error.code}: ${error.message}`);
        const problems = (error.problems ?? []) as { field: string; rule: string; message: string }[];
        for (const p of problems.slice(0, 5)) {
          console.error(`  ${p.field} [${p.rule}] ${p.message}`);
          const m = /eventList\.(\d+)/.exec(p.field);
          if (m) console.error(`    ${JSON.stringify(epcisEvent(ds, ds.streams[d.enterprise]![d.from + Number(m[1])]!))}`);
        }
      } else console.error(error);
      process.exitCode = 1;
      throw new Error('capture refused');
    }
    captureMs += performance.now() - t;
    progress.update('capture', k + 1, ds.docs.length);
  }
  progress.stop();
  const captureSeconds = captureMs / 1000;
  const captureWall = (performance.now() - wall0) / 1000;
  const load1 = loadavg()[0]!;
  gcObserver.disconnect();
  const nodeCpu = process.cpuUsage(node0);
  const nodeCpuSeconds = (nodeCpu.user + nodeCpu.system) / 1e6;
  const pg1 = postgresCpuSeconds();
  const pgCpuSeconds = pg0 !== null && pg1 !== null ? pg1 - pg0 : null;

  // The same stored rows, exported (untimed) and COPYed back into copies of the table (timed).
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await pipeline(client.query(copyTo('copy epcis_events to stdout')), createWriteStream(copyFile));
  const copyBytes = statSync(copyFile).size;
  const [{ n: rowCount }] = (await client.query<{ n: string }>('select count(*)::text as n from epcis_events')).rows as [{ n: string }];
  const copyInto = async (table: string, like: string) => {
    await client.query(`create table ${table} (like epcis_events ${like})`);
    await client.query('checkpoint');
    const t = performance.now();
    await pipeline(createReadStream(copyFile, { highWaterMark: 1 << 20 }), client.query(copyFrom(`copy ${table} from stdin`)));
    return (performance.now() - t) / 1000;
  };
  const copySeconds = await copyInto('epcis_events_copy', 'including defaults');
  const copyIndexedSeconds = await copyInto('epcis_events_copy_indexed', 'including all');

  // 2. Genealogy. Fresh statistics first (autovacuum lags behind a bulk capture; without them the
  // planner walks the recursion with hash joins over the whole edge table).
  await client.query('analyze');
  // Sample roots deterministically.
  const stride = <T>(items: T[], n: number) => (items.length <= n ? items : Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]!));
  const upstreamLots: number[] = [];
  const downstreamLots: number[] = [];
  for (const stream of ds.streams) {
    for (const ev of stream) {
      if (ev.kind === 'export') upstreamLots.push(...ev.lots.filter((l) => ds.lots[l]!.product.startsWith('MAG-') || ds.lots[l]!.product.startsWith('FM-')));
      if (ev.kind === 'transform') upstreamLots.push(...ev.outLots!.filter((l) => ds.lots[l]!.product.startsWith('MAG-NDFEB-SINTERED')));
      if (ev.kind === 'mine') downstreamLots.push(ev.lots[0]!);
    }
  }
  const roots = {
    upstream: stride([...new Set(upstreamLots)].sort((a, b) => a - b), SAMPLES).map((l) => lotUriOf(ds, l)),
    downstream: stride(downstreamLots, SAMPLES).map((l) => lotUriOf(ds, l)),
  };
  const DEPTH = 30;
  // The bare trace: the root by its URI, one recursive CTE over trace_lot_edges for the edges with
  // their quantities, and the lots they reach (uri, product, producer, origin, mass): three statements.
  const bare = async (uri: string, direction: 'upstream' | 'downstream') => {
    const [near, far] = direction === 'upstream' ? ['child_lot_id', 'parent_lot_id'] : ['parent_lot_id', 'child_lot_id'];
    const [root] = await queryRows<{ id: string }>(db, sql`select id from trace_lots where uri = ${uri}`);
    const edges = await queryRows<{ parent: string; child: string }>(db, sql`
      with recursive walk(parent, child, event_row_id, parent_grams, parent_reo_grams, child_grams, child_reo_grams, depth, next) as (
        select parent_lot_id, child_lot_id, event_row_id, parent_grams, parent_reo_grams, child_grams, child_reo_grams, 1, ${sql.raw(far)}
          from trace_lot_edges where ${sql.raw(near)} = ${root!.id} and active
        union
        select e.parent_lot_id, e.child_lot_id, e.event_row_id, e.parent_grams, e.parent_reo_grams, e.child_grams, e.child_reo_grams, w.depth + 1, e.${sql.raw(far)}
          from walk w join trace_lot_edges e on e.${sql.raw(near)} = w.next and e.active
         where w.depth < ${DEPTH}
      )
      select distinct on (parent, child, event_row_id) parent, child, event_row_id, parent_grams, parent_reo_grams, child_grams, child_reo_grams from walk`);
    const ids = [...new Set([root!.id, ...edges.flatMap((e) => [e.parent, e.child])])];
    const nodes = await queryRows<{ uri: string }>(db, sql`
      select l.uri, p.code, l.producer_enterprise_id, l.origin_kind, l.origin_division_code, l.origin_country, l.produced_grams, l.produced_reo_grams, l.within_quota
        from trace_lots l join products p on p.id = l.product_id where l.id = any(${`{${ids.join(',')}}`}::uuid[])`);
    return { nodes: nodes.length, edges: edges.length };
  };
  const official = await actorForUsername(db, 'admin');
  const service = async (uri: string, direction: 'upstream' | 'downstream') => {
    const g = await genealogy(db, official, { lot: uri, direction, depth: DEPTH });
    return { nodes: g.nodes.length, edges: g.edges.length };
  };

  interface Lat { ms: number[]; nodes: number; edges: number }
  const latency: Record<string, { bare: Lat; service: Lat }> = {};
  for (const direction of ['upstream', 'downstream'] as const) {
    const r = { bare: { ms: [] as number[], nodes: 0, edges: 0 }, service: { ms: [] as number[], nodes: 0, edges: 0 } };
    for (const uri of roots[direction].slice(0, 10)) { await bare(uri, direction); await service(uri, direction); } // warm-up
    for (const [k, uri] of roots[direction].entries()) {
      const order = k % 2 === 0 ? (['bare', 'service'] as const) : (['service', 'bare'] as const);
      for (const which of order) {
        const fn = which === 'bare' ? bare : service;
        const t = performance.now();
        const out = await fn(uri, direction);
        r[which].ms.push(performance.now() - t);
        r[which].nodes += out.nodes;
        r[which].edges += out.edges;
      }
      progress.update(`genealogy ${direction}`, k + 1, roots[direction].length);
    }
    latency[direction] = r;
  }
  progress.stop();
  await client.end();

  // Report.
  const events = st.events;
  const rate = (s: number) => events / s;
  const cores = cpus().length;
  console.log(`\nmachine: ${cores} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${(await queryRows<{ v: string }>(db, sql`select version() as v`))[0]!.v.split(' on ')[0]}`);
  console.log(`dataset: ${fmt(events)} events, ${fmt(st.documents)} documents (${fmt(st.fullDocuments)} of 1,000 events), ${st.enterprisesWithEvents} enterprises, ${fmt(st.lots)} lots, ${fmt(st.edges)} edges, ${firstDay} – ${lastDay}; stored ${fmt(stored)} of them, epcis_events holds ${fmt(Number(rowCount))} rows (${(copyBytes / 2 ** 20).toFixed(0)} MiB as COPY text)`);
  console.log(`  ${Object.entries(st.byTier).sort().map(([k, v]) => `${k}: ${fmt(v)}`).join('; ')}`);
  console.log('\n| capture | events | seconds | events/s | ratio to raw COPY |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(`| \`captureDocument\`, ${fmt(st.documents)} documents, sequential | ${fmt(events)} | ${captureSeconds.toFixed(1)} | ${fmt(rate(captureSeconds))} | ${(captureSeconds / copySeconds).toFixed(1)}× slower |`);
  console.log(`| raw \`COPY\` of the same rows (table \`like epcis_events including defaults\`) | ${fmt(events)} | ${copySeconds.toFixed(1)} | ${fmt(rate(copySeconds))} | 1 |`);
  console.log(`| \`COPY\` into a copy with all of \`epcis_events\`' indexes and constraints | ${fmt(events)} | ${copyIndexedSeconds.toFixed(1)} | ${fmt(rate(copyIndexedSeconds))} | ${(copyIndexedSeconds / copySeconds).toFixed(1)}× |`);
  const perEvent = (ms: number) => (probeEvents ? (ms / probeEvents) * 1000 : NaN);
  console.log(`\nper 1,000 events outside the database (${probeDocs.length} documents): building the JSON ${perEvent(buildMs).toFixed(0)} ms (client side, not timed above), GS1 schema validation ${perEvent(schemaMs).toFixed(0)} ms, event hashes ${perEvent(hashMs).toFixed(0)} ms; a captured document took ${(captureMs / ds.docs.length).toFixed(0)} ms on average`);
  console.log(`during capture (${captureWall.toFixed(1)} s wall, documents built in between included): this Node process used ${nodeCpuSeconds.toFixed(1)} s of CPU (${(gcMs / 1000).toFixed(1)} s of it in garbage collection, the dataset's ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB heap included), PostgreSQL server processes ${pgCpuSeconds === null ? '?' : pgCpuSeconds.toFixed(1)} s; load average ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end (${cores} cores: above ${cores} others were using the machine too)`);
  console.log('\n| genealogy, depth 30 | traces | p50 ms | p99 ms | mean nodes | mean edges |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const direction of ['upstream', 'downstream'] as const) {
    for (const which of ['service', 'bare'] as const) {
      const r = latency[direction]![which];
      const label = `${direction}, ${which === 'service' ? '`genealogy()` service' : 'bare recursive CTE'}`;
      const sorted = [...r.ms].sort((a, b) => a - b);
      console.log(`| ${label} | ${r.ms.length} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 99).toFixed(1)} | ${(r.nodes / r.ms.length).toFixed(0)} | ${(r.edges / r.ms.length).toFixed(0)} |`);
    }
  }
  for (const direction of ['upstream', 'downstream'] as const) {
    const sv = [...latency[direction]!.service.ms].sort((a, b) => a - b);
    const b = [...latency[direction]!.bare.ms].sort((a, b2) => a - b2);
    console.log(`${direction}: service / bare SQL at p50 ${(percentile(sv, 50) / percentile(b, 50)).toFixed(1)}×, at p99 ${(percentile(sv, 99) / percentile(b, 99)).toFixed(1)}×`);
  }
} finally {
  await database.close();
  rmSync(copyFile, { force: true });
  if (args.keep) console.error(`kept database ${name}`);
  else await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
