/**
 * The database tiers every integration test runs on: PGlite in memory always, and a fresh
 * database on the PostgreSQL server when DATABASE_URL is set (CI sets it).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.ts';

export type Tier = 'pglite' | 'postgres';

export function tiers(): Tier[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** A migrated, empty database of the tier; close() also drops a server database. */
export async function freshDatabase(tier: Tier): Promise<Database> {
  if (tier === 'pglite') {
    const database = await openDatabase({ kind: 'pglite', dataDir: null });
    await database.migrate();
    return database;
  }
  const adminUrl = process.env.DATABASE_URL!;
  const name = `ytterby_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString() });
  await database.migrate();
  return {
    ...database,
    close: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** describe() once per tier, named `[pglite] …` / `[postgres] …` so the output shows which ran. */
export function describeEachTier(name: string, body: (tier: Tier) => void): void {
  for (const tier of tiers()) describe(`[${tier}] ${name}`, () => body(tier));
}
