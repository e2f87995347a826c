/**
 * Loading the flow dataset for the reports benchmark, two ways:
 *
 * - `capture`: every document through `captureDocument`, as the trace benchmark does (~850
 *   events/s on the benchmark machine: about 20 minutes for a million events);
 * - `copy` (default): the rows the capture rules derive from the same events, computed here and
 *   written with `COPY … FROM STDIN`: `trace_lots` (every lot mined, imported or made),
 *   `trace_movements` (mined, imported, used, produced, shipped, exported, received, with REO
 *   grams by the lot's content) and `ledger_entries` (one flow consumption per document × month ×
 *   indicator, `source = 'flow'`, as `applyFlows` posts them). Not written: `epcis_events` and
 *   their chain, `trace_lot_edges`, `trace_stock`, `trace_shipments`, quota alerts and audit
 *   entries — no report reads them (event row ids in the rows above are fresh UUIDs).
 *
 * `derivationMatches` compares what `copy` would write with what `capture` stored (sums per
 * enterprise × product × kind × month, per lot origin, per ledger month × indicator), so a small
 * capture run proves the derivation. Month closings (Art. 10) are inserted in both modes.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/database.ts';
import { queryRows } from '../src/db/database.ts';
import type { Indicator } from '../src/domain/quota.ts';
import { closingDeadline } from '../src/domain/trace/months.ts';
import type { Actor } from '../src/modules/auth/actor.ts';
import { mulberry32 } from '../src/modules/demo/demo.dataset.ts';
import { newId } from '../src/modules/shared/ids.ts';
import { captureDocument } from '../src/modules/trace/trace.service.ts';
import { epcisDocument, lotUri, type Dataset, type Ev, type OreKind } from './trace-dataset.ts';

type Progress = (step: string, done: number, total: number) => void;
type Cell = string | number | bigint | boolean | null;

/** What the derived rows need from the database: ids, the plan's indicators, allocations. */
export interface LoadTarget {
  year: number;
  /** Enterprise ids and operator usernames by registry index (the dataset's enterprise numbers). */
  enterpriseIds: readonly string[];
  operators: readonly string[];
  products: ReadonlyMap<string, { id: string; mineral: boolean }>;
  miningIndicator: Readonly<Record<OreKind, Indicator>>;
  /** Allocated REO grams by `${enterpriseId}:${indicator}`, to mark lots within quota. */
  allocatedGrams: ReadonlyMap<string, number>;
}

interface Posting { id: string; enterprise: number; month: number; indicator: Indicator; grams: number; lots: number; within: boolean }

const CHINA_MS = 8 * 3600_000;
const monthOf = (time: number) => new Date(time + CHINA_MS).getUTCMonth() + 1;
const reo = (grams: number, ppm: number) => Math.floor((grams * ppm) / 1_000_000); // exact: the generator keeps grams × ppm below 2^53

/** Event row ids, one per generated event, shared by the lots and movements it derives. */
class EventIds {
  private readonly ids: string[][];
  constructor(ds: Dataset) { this.ids = ds.streams.map((s) => new Array<string>(s.length)); }
  of(ev: Ev): string { return (this.ids[ev.enterprise]![ev.seq] ??= newId()); }
}

export interface Derivation { postings: Posting[]; lotQuota: Map<number, Posting>; eventIds: EventIds }

/** The flow consumption each document posts, in capture order: one entry per month × indicator, as `applyFlows`. */
export function derive(ds: Dataset, t: LoadTarget): Derivation {
  const postings: Posting[] = [];
  const lotQuota = new Map<number, Posting>();
  const consumed = new Map<string, number>();
  for (const doc of ds.docs) {
    const here = new Map<string, { month: number; indicator: Indicator; grams: number; lots: number[] }>();
    const add = (month: number, indicator: Indicator, grams: number, lots: number[]) => {
      const key = `${month}:${indicator}`;
      const p = here.get(key) ?? { month, indicator, grams: 0, lots: [] };
      p.grams += grams;
      p.lots.push(...lots);
      here.set(key, p);
    };
    const stream = ds.streams[doc.enterprise]!;
    for (let s = doc.from; s < doc.to; s++) {
      const ev = stream[s]!;
      if (ev.kind === 'mine') add(monthOf(ev.time), t.miningIndicator[ds.mines[ev.mine!]!.oreKind], reo(ev.grams[0]!, ds.lots[ev.lots[0]!]!.ppm), ev.lots);
      if (ev.kind === 'transform') {
        const mineral = ev.lots.map((lot, k) => (t.products.get(ds.lots[lot]!.product)!.mineral ? reo(ev.grams[k]!, ds.lots[lot]!.ppm) : -1)).filter((g) => g >= 0);
        if (mineral.length) add(monthOf(ev.time), 'smelting_separation', mineral.reduce((a, b) => a + b, 0), ev.outLots!);
      }
    }
    for (const p of here.values()) {
      if (p.grams === 0) continue;
      const key = `${t.enterpriseIds[doc.enterprise]}:${p.indicator}`;
      const total = (consumed.get(key) ?? 0) + p.grams;
      consumed.set(key, total);
      const posting: Posting = { id: newId(), enterprise: doc.enterprise, month: p.month, indicator: p.indicator, grams: p.grams, lots: p.lots.length, within: total <= (t.allocatedGrams.get(key) ?? 0) };
      postings.push(posting);
      for (const lot of p.lots) lotQuota.set(lot, posting);
    }
  }
  return { postings, lotQuota, eventIds: new EventIds(ds) };
}

/** Every event of the dataset in capture order. */
function* eventsInCaptureOrder(ds: Dataset): Generator<Ev> {
  for (const doc of ds.docs) {
    const stream = ds.streams[doc.enterprise]!;
    for (let s = doc.from; s < doc.to; s++) yield stream[s]!;
  }
}

export interface MovementRow { enterprise: number; lot: number; kind: string; grams: number; reoGrams: number; ev: Ev; counterparty: number | null }

/** The movements `applyFlows` records for an event. */
function* movementsOf(ds: Dataset, ev: Ev): Generator<MovementRow> {
  const row = (lot: number, kind: string, grams: number, counterparty: number | null = null): MovementRow => ({
    enterprise: ev.enterprise, lot, kind, grams, reoGrams: grams < 0 ? -reo(-grams, ds.lots[lot]!.ppm) : reo(grams, ds.lots[lot]!.ppm), ev, counterparty,
  });
  switch (ev.kind) {
    case 'mine': yield row(ev.lots[0]!, 'mined', ev.grams[0]!); break;
    case 'import': for (const [k, lot] of ev.lots.entries()) yield row(lot, 'imported', ev.grams[k]!); break;
    case 'transform':
      for (const [k, lot] of ev.lots.entries()) yield row(lot, 'used', -ev.grams[k]!);
      for (const [k, lot] of ev.outLots!.entries()) yield row(lot, 'produced', ev.outGrams![k]!);
      break;
    case 'ship': for (const [k, lot] of ev.lots.entries()) yield row(lot, 'shipped', -ev.grams[k]!, ev.party!); break;
    case 'export': for (const [k, lot] of ev.lots.entries()) yield row(lot, 'exported', -ev.grams[k]!); break;
    case 'receive': for (const [k, lot] of ev.lots.entries()) yield row(lot, 'received', ev.grams[k]!, ev.party!); break;
  }
}

export function* movements(ds: Dataset): Generator<MovementRow> {
  for (const ev of eventsInCaptureOrder(ds)) yield* movementsOf(ds, ev);
}

interface LotRow { lot: number; ev: Ev; grams: number; origin: 'mined' | 'imported' | 'transformed' }

function* lotsCreated(ds: Dataset): Generator<LotRow> {
  for (const ev of eventsInCaptureOrder(ds)) {
    if (ev.kind === 'mine' || ev.kind === 'import') for (const [k, lot] of ev.lots.entries()) yield { lot, ev, grams: ev.grams[k]!, origin: ev.kind === 'mine' ? 'mined' : 'imported' };
    if (ev.kind === 'transform') for (const [k, lot] of ev.outLots!.entries()) yield { lot, ev, grams: ev.outGrams![k]!, origin: 'transformed' };
  }
}

// ---------------------------------------------------------------------------------------------
// COPY
// ---------------------------------------------------------------------------------------------

/** A value in COPY's text format. */
function cell(v: Cell): string {
  if (v === null) return '\\N';
  if (typeof v !== 'string') return String(v);
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

async function copyInto(client: pg.Client, table: string, columns: string[], rows: Iterable<Cell[]>, onRows: (n: number) => void): Promise<number> {
  let count = 0;
  function* chunks(): Generator<string> {
    let buffer: string[] = [];
    for (const r of rows) {
      buffer.push(r.map(cell).join('\t'));
      if (buffer.length === 5000) { count += buffer.length; onRows(count); yield `${buffer.join('\n')}\n`; buffer = []; }
    }
    if (buffer.length) { count += buffer.length; onRows(count); yield `${buffer.join('\n')}\n`; }
  }
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`)));
  return count;
}

export interface CopyCounts { lots: number; movements: number; ledger: number; seconds: number }

/** Writes the derived lots, movements and flow ledger entries with COPY. */
export async function copyFlows(client: pg.Client, ds: Dataset, t: LoadTarget, d: Derivation, progress: Progress): Promise<CopyCounts> {
  const started = performance.now();
  const ents = ds.input.enterprises;
  const id = (e: number) => t.enterpriseIds[e]!;
  const at = (ev: Ev) => new Date(ev.time).toISOString();
  const lotIds = new Array<string>(ds.lots.length);
  const lotId = (lot: number) => (lotIds[lot] ??= newId());

  const ledger = await copyInto(client, 'ledger_entries', ['id', 'enterprise_id', 'year', 'indicator', 'kind', 'amount_reo_grams', 'period_month', 'source', 'note', 'created_by'],
    d.postings.map((p) => [p.id, id(p.enterprise), t.year, p.indicator, 'consumption', -p.grams, p.month, 'flow', `product flows: ${p.lots} lot(s)`, t.operators[p.enterprise]!]),
    (n) => progress('copy ledger_entries', n, d.postings.length));

  const lotRows = function* (): Generator<Cell[]> {
    for (const r of lotsCreated(ds)) {
      const lot = ds.lots[r.lot]!;
      const mine = r.ev.kind === 'mine' ? ds.mines[r.ev.mine!]! : null;
      const assay = mine ? { treoPercent: lot.ppm / 10_000, elements: lot.assay?.elements ?? {}, location: mine.uri } : r.origin === 'imported' ? { customsDeclarationNo: r.ev.customs } : null;
      const quota = d.lotQuota.get(r.lot);
      yield [lotId(r.lot), lotUri(ents[lot.producer]!.creditCode, lot), t.products.get(lot.product)!.id, id(lot.producer), r.origin, mine?.divisionCode ?? null,
        r.origin === 'imported' ? r.ev.country! : null, lot.ppm, assay ? JSON.stringify(assay) : null, r.grams, reo(r.grams, lot.ppm), at(r.ev), id(r.ev.enterprise),
        d.eventIds.of(r.ev), quota?.id ?? null, quota ? quota.within : null];
    }
  };
  const lots = await copyInto(client, 'trace_lots', ['id', 'uri', 'product_id', 'producer_enterprise_id', 'origin_kind', 'origin_division_code', 'origin_country', 'reo_ppm', 'assay',
    'produced_grams', 'produced_reo_grams', 'produced_at', 'event_enterprise_id', 'event_row_id', 'quota_entry_id', 'within_quota'], lotRows(), (n) => progress('copy trace_lots', n, ds.lots.length));

  const expected = ds.stats.events * 2; // about two movements per event, for the bar only
  const movementRows = function* (): Generator<Cell[]> {
    for (const m of movements(ds)) {
      const lot = ds.lots[m.lot]!;
      yield [newId(), id(m.enterprise), lotId(m.lot), t.products.get(lot.product)!.id, m.kind, m.grams, m.reoGrams, t.year, monthOf(m.ev.time), at(m.ev), id(m.enterprise),
        d.eventIds.of(m.ev), m.counterparty === null ? null : id(m.counterparty)];
    }
  };
  const moved = await copyInto(client, 'trace_movements', ['id', 'enterprise_id', 'lot_id', 'product_id', 'kind', 'grams', 'reo_grams', 'year', 'month', 'event_time',
    'event_enterprise_id', 'event_row_id', 'counterparty_enterprise_id'], movementRows(), (n) => progress('copy trace_movements', Math.min(n, expected), expected));
  return { lots, movements: moved, ledger, seconds: (performance.now() - started) / 1000 };
}

/** Every document through the capture use case, in the order the flows need; returns seconds. */
export async function captureFlows(db: Db, ds: Dataset, actors: readonly Actor[], progress: Progress): Promise<number> {
  const started = performance.now();
  for (const [k, doc] of ds.docs.entries()) {
    const { document, raw } = epcisDocument(ds, doc);
    await captureDocument(db, actors[doc.enterprise]!, document, raw);
    progress('capture', k + 1, ds.docs.length);
  }
  return (performance.now() - started) / 1000;
}

/**
 * Art. 10 month closings for every enterprise that recorded flows: about 91% closed on time,
 * 6% late, 3% never closed (deterministic for the seed).
 */
export async function insertClosings(client: pg.Client, ds: Dataset, t: LoadTarget, closingDay: number, seed: number): Promise<number> {
  const r = mulberry32(seed ^ 0x636c6f73);
  const rows: Cell[][] = [];
  for (const [e, stream] of ds.streams.entries()) {
    if (stream.length === 0) continue;
    for (let month = 1; month <= 12; month++) {
      const x = r();
      if (x < 0.03) continue;
      const late = x < 0.09;
      const deadline = closingDeadline({ year: t.year, month }, closingDay);
      const days = late ? 1 + Math.floor(r() * 10) : -Math.floor(r() * 5);
      const closedAt = new Date(Date.parse(`${deadline}T17:00:00+08:00`) + days * 86_400_000).toISOString();
      rows.push([t.enterpriseIds[e]!, t.year, month, deadline, closedAt, t.operators[e]!, late]);
    }
  }
  return copyInto(client, 'trace_month_closings', ['enterprise_id', 'year', 'month', 'deadline', 'closed_at', 'closed_by', 'late'], rows, () => undefined);
}

// ---------------------------------------------------------------------------------------------
// Proof that the derivation is what capture stores
// ---------------------------------------------------------------------------------------------

type Sums = Map<string, [number, number, number]>;

function addTo(m: Sums, key: string, a: number, b: number): void {
  const s = m.get(key) ?? [0, 0, 0];
  s[0] += a; s[1] += b; s[2] += 1;
  m.set(key, s);
}

function differences(what: string, derived: Sums, stored: Sums): string[] {
  const out: string[] = [];
  for (const key of new Set([...derived.keys(), ...stored.keys()])) {
    const [a, b] = [derived.get(key), stored.get(key)];
    if (!a || !b || a.some((v, i) => v !== b[i])) out.push(`${what} ${key}: derived ${JSON.stringify(a ?? null)}, stored ${JSON.stringify(b ?? null)}`);
  }
  return out;
}

async function storedSums(db: Db, query: ReturnType<typeof sql>): Promise<Sums> {
  const rows = await queryRows<{ k: string; a: string; b: string; n: string }>(db, query);
  return new Map(rows.map((r) => [r.k, [Number(r.a), Number(r.b), Number(r.n)]]));
}

/** Compares the derivation with the rows capture stored for the year; returns the differences (none when it matches). */
export async function derivationMismatches(db: Db, ds: Dataset, t: LoadTarget, d: Derivation): Promise<{ keys: number; mismatches: string[] }> {
  const id = (e: number) => t.enterpriseIds[e]!;
  const moved: Sums = new Map();
  for (const m of movements(ds)) addTo(moved, `${id(m.enterprise)}|${t.products.get(ds.lots[m.lot]!.product)!.id}|${m.kind}|${monthOf(m.ev.time)}`, m.grams, m.reoGrams);
  const made: Sums = new Map();
  for (const r of lotsCreated(ds)) {
    const lot = ds.lots[r.lot]!;
    const q = d.lotQuota.get(r.lot);
    addTo(made, `${id(lot.producer)}|${t.products.get(lot.product)!.id}|${r.origin}|${q ? q.within : null}`, r.grams, reo(r.grams, lot.ppm));
  }
  const posted: Sums = new Map();
  for (const p of d.postings) addTo(posted, `${id(p.enterprise)}|${p.indicator}|${p.month}`, -p.grams, 0);
  const y = t.year;
  const [sm, sl, sp] = [
    await storedSums(db, sql`select concat_ws('|', enterprise_id, product_id, kind, month) k, sum(grams)::text a, sum(reo_grams)::text b, count(*)::text n from trace_movements where year = ${y} group by 1`),
    await storedSums(db, sql`select concat_ws('|', producer_enterprise_id, product_id, origin_kind, coalesce(within_quota::text, 'null')) k, sum(produced_grams)::text a, sum(produced_reo_grams)::text b, count(*)::text n
      from trace_lots where produced_at >= ${`${y}-01-01T00:00:00+08:00`}::timestamptz and produced_at < ${`${y + 1}-01-01T00:00:00+08:00`}::timestamptz group by 1`),
    await storedSums(db, sql`select concat_ws('|', enterprise_id, indicator, period_month) k, sum(amount_reo_grams)::text a, '0' b, count(*)::text n from ledger_entries where source = 'flow' and year = ${y} group by 1`),
  ];
  return { keys: moved.size + made.size + posted.size, mismatches: [...differences('movements', moved, sm), ...differences('lots', made, sl), ...differences('ledger', posted, sp)] };
}
