/**
 * The registry as the flow dataset generator (bench/trace-dataset.ts) sees it; shared by the
 * trace and reports benchmarks.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../src/db/database.ts';
import { tonnesToGrams } from '../src/domain/mass.ts';
import { reoPpmOfProduct } from '../src/domain/trace/reo.ts';
import { systemActor } from '../src/modules/auth/actor.ts';
import { listBalances } from '../src/modules/quota/quota.service.ts';
import { listEnterprises } from '../src/modules/registry/registry.service.ts';
import { designations, products, rareEarthElements } from '../src/modules/registry/registry.tables.ts';
import type { CatalogueProduct, OreKind, RegistryEnterprise } from './trace-dataset.ts';

/** What the dataset generator needs of the registry: each enterprise with the designations covering the period and its remaining quota, and the catalogue with the server's own REO content. */
export async function registrySnapshot(db: Db, period: { year: number; firstDay: string; lastDay: string }): Promise<{ enterprises: RegistryEnterprise[]; catalogue: CatalogueProduct[] }> {
  const system = systemActor('bench');
  const { year, firstDay, lastDay } = period;
  const listed = (await listEnterprises(db, system, { page: 1, pageSize: 1000, order: 'asc' })).items;
  const current = await db.select().from(designations).where(and(isNull(designations.revokedAt), eq(designations.active, true)));
  const balances = await listBalances(db, system, { year });
  const remaining = (id: string, indicators: string[]) => {
    let grams = 0n;
    for (const b of balances) if (b.enterpriseId === id && indicators.includes(b.indicator)) grams += tonnesToGrams(b.allocatedTonnesReo) - tonnesToGrams(b.consumedTonnesReo);
    return grams > 0n ? Number(grams) : 0;
  };
  const covers = (d: typeof designations.$inferSelect) => String(d.validFrom) <= firstDay && String(d.validTo) >= lastDay;
  const enterprises = listed.map((e): RegistryEnterprise => {
    const mine = current.find((d) => d.enterpriseId === e.id && d.activity === 'mining' && covers(d));
    const sep = current.find((d) => d.enterpriseId === e.id && d.activity === 'smelting_separation' && covers(d));
    return {
      id: e.id, creditCode: e.creditCode, nameZh: e.nameZh, nameEn: e.nameEn ?? e.nameZh, divisionCode: e.domicileDivisionCode, activities: e.activities,
      mining: (mine?.oreKind ?? null) as OreKind | null, separation: Boolean(sep),
      miningBudgetGrams: remaining(e.id, ['mining_rock_type', 'mining_ion_adsorption', 'mining']), separationBudgetGrams: remaining(e.id, ['smelting_separation']),
    };
  });
  const factors = Object.fromEntries((await db.select().from(rareEarthElements)).map((e) => [e.symbol, String(e.metalToOxide)]));
  // The server's own REO content per product (metals and alloys as oxide), so derived rows match capture exactly.
  const catalogue = (await db.select().from(products)).map((p): CatalogueProduct => ({
    code: p.code, category: p.category, reoPpm: Number(reoPpmOfProduct({ category: p.category, reoPpm: p.reoPpm, elementSplitPpm: p.elementSplitPpm ?? null }, factors)),
    elementSplit: p.elementSplitPpm ? Object.fromEntries(Object.entries(p.elementSplitPpm).map(([k, v]) => [k, String(v / 1_000_000)])) : null,
  }));
  return { enterprises, catalogue };
}
