/**
 * Boots the real server on a free port over an in-memory PGlite seeded with the demo data,
 * serving the built console: what browser tests drive.
 */
import { openDatabase } from '../../src/db/database.ts';
import { seedDemo } from '../../src/modules/demo/demo.seed.ts';
import { buildServer } from '../../src/server.ts';

export async function startTestServer(): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  const database = await openDatabase({ kind: 'pglite', dataDir: null });
  await database.migrate();
  await seedDemo(database.db);
  const app = await buildServer({ database, serveWeb: true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      await app.close();
      await database.close();
    },
  };
}
