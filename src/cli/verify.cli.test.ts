import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/ytterby.mjs', import.meta.url).pathname;

describe('[pglite] ytterby verify names the first broken link of a chain changed behind the application’s back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ytterby-verify-'));
  const env = { ...process.env, YTTERBY_DATA_DIR: dir, DATABASE_URL: '' };
  const y = async (...args: string[]) => run('node', [BIN, ...args], { env, timeout: 120_000 });
  beforeAll(async () => { await y('seed', 'demo'); }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes on the demo, then finds the event row an UPDATE changed', async () => {
    const intact = await y('verify');
    expect(intact.stdout).toMatch(/audit chain intact: \d+ entries/);
    expect(intact.stdout).toMatch(/event chains intact: 1[0-9] events/); // the demo's month of flows
    const database = await openDatabase({ kind: 'pglite', dataDir: `${dir}/pglite` });
    const [target] = (await database.db.execute(sql`select enterprise_id::text as e, chain_seq::text as seq from epcis_events where event_type = 'TransformationEvent' order by record_time limit 1`) as unknown as { rows: { e: string; seq: string }[] }).rows;
    await database.db.execute(sql`update epcis_events set event = jsonb_set(event, '{outputQuantityList,0,quantity}', '99999') where enterprise_id = ${target!.e}::uuid and chain_seq = ${target!.seq}::bigint`);
    await database.close();
    const broken = await y('verify').catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(broken).toMatchObject({ code: 2 });
    expect((broken as { stderr: string }).stderr).toContain(`enterprise ${target!.e}: event chain broken at position ${target!.seq} (content_changed)`);
  }, 300_000);
});
