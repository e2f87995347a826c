/**
 * An app over a fresh database of a tier, seeded with the demo country.
 */
import type { Database } from '../../src/db/database.ts';
import type { App } from '../../src/http/context.ts';
import { seedDemo } from '../../src/modules/demo/demo.seed.ts';
import { buildServer } from '../../src/server.ts';
import { freshDatabase, type Tier } from './databases.ts';

export interface Fixture { app: App; database: Database; close(): Promise<void> }

export async function demoApp(tier: Tier): Promise<Fixture> {
  const database = await freshDatabase(tier);
  await seedDemo(database.db);
  const app = await buildServer({ database, serveWeb: false });
  await app.ready();
  return {
    app, database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
