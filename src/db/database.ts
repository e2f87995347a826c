/**
 * The one place that picks the database: PGlite (embedded, the default) or a PostgreSQL server
 * (DATABASE_URL). Both run the same migrations from src/db/migrations.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';

/** A database or a transaction on it: every repository function takes one. */
export type Db = PgDatabase<PgQueryResultHKT>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Human-readable location, for logs (no password). */
  location: string;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

// node-postgres returns BIGINT as string by default; drizzle's bigint mode converts it.
// DATE columns stay ISO strings instead of being shifted through local-time Date objects.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string | null };

/** DATABASE_URL wins; otherwise PGlite in YTTERBY_DATA_DIR (default ./.data/pglite); null dataDir = in memory. */
export function databaseTargetFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  if (env.DATABASE_URL) return { kind: 'postgres', url: env.DATABASE_URL };
  const dir = env.YTTERBY_DATA_DIR ?? '.data';
  return { kind: 'pglite', dataDir: `${dir}/pglite` };
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') return openPostgres(target.url);
  return openPglite(target.dataDir);
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.YTTERBY_DB_POOL ?? 20) });
  // An idle client dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it on the next checkout.
  pool.on('error', (error) => process.emitWarning(`idle PostgreSQL connection lost: ${error.message}`));
  // Fail fast with a clear message if the server is not there.
  const probe = await pool.connect();
  probe.release();
  const db = drizzlePg({ client: pool }) as unknown as Db; // the driver's own HKT narrows PgDatabase; repositories only need the common surface
  const safe = new URL(url);
  safe.password = '';
  return {
    db,
    kind: 'postgres',
    location: safe.toString(),
    migrate: () => migratePg(drizzlePg({ client: pool }), { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string | null): Promise<Database> {
  let lock: DataDirLock | null = null;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    lock = acquireDataDirLock(dataDir);
  }
  try {
    const client = await PGlite.create(dataDir ? { dataDir } : {});
    const typed = drizzlePglite({ client });
    return {
      db: typed as unknown as Db, // see openPostgres
      kind: 'pglite',
      location: dataDir ?? 'memory',
      migrate: () => migratePglite(typed, { migrationsFolder: MIGRATIONS_FOLDER }),
      close: async () => {
        await client.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/** Rows of a raw SQL query; both drivers answer with `{ rows }`. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
