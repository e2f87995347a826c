import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = new URL('../../bin/ytterby.mjs', import.meta.url).pathname;

describe('[pglite] the ytterby CLI walks the quota lifecycle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ytterby-cli-'));
  const env = { ...process.env, YTTERBY_DATA_DIR: dir, DATABASE_URL: '' };
  const y = async (...args: string[]) => (await run('node', [BIN, ...args], { env, timeout: 120_000 })).stdout;
  beforeAll(async () => { await y('seed', 'demo'); }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('drafts, signs, submits, approves, allocates, issues with a second person, and posts production idempotently', async () => {
    expect(await y('quota', 'plan', 'create', '--year', '2030', '--line', 'mining_ion_adsorption=20000', '--basis', 'cli')).toMatch(/2030 {2}draft/);
    for (const signer of ['admin', 'mnr', 'ndrc']) await y('quota', 'plan', 'signoff', '--year', '2030', '--decision', 'agree', '--as', signer);
    await y('quota', 'plan', 'submit', '--year', '2030');
    expect(await y('quota', 'plan', 'approve', '--year', '2030', '--document', '国函〔2029〕5号', '--date', '2026-11-01')).toMatch(/approved 国函〔2029〕5号/);
    const batch = (await y('quota', 'batch', 'create', '--year', '2030', '--name', '第一批')).trim();
    expect(await y('quota', 'balances', '--year', String(new Date().getFullYear()), '--division', '360734')).toMatch(/寻乌/);
    expect(await y('quota', 'batch', 'allocate', '--batch', batch, '--group', 'CREG', '--indicator', 'mining_ion_adsorption', '--tonnes', '5000')).toMatch(/5000\.000000 t/);
    await y('quota', 'batch', 'prepare', '--batch', batch);
    await expect(y('quota', 'batch', 'issue', '--batch', batch, '--as', 'admin')).rejects.toMatchObject({ stderr: expect.stringMatching(/second person/) });
    expect((await y('quota', 'batch', 'issue', '--batch', batch, '--as', 'reviewer')).trim()).toBe('issued');
  }, 300_000);

  it('a production file posted twice changes the ledger once', async () => {
    const balances = await y('quota', 'balances', '--year', String(new Date().getFullYear()));
    expect(balances).toMatch(/OVER QUOTA/); // the demo's planted over-producer
    const file = join(dir, 'production.csv');
    expect(await y('token', 'create', '--user', 'xunwu-mine')).toMatch(/^ytt_/);
    const { buildDemoDataset } = await import('../modules/demo/demo.dataset.ts');
    const data = buildDemoDataset();
    const code = data.users.find((u) => u.username === 'xunwu-mine')!.enterpriseCreditCode!;
    writeFileSync(file, `creditCode,year,month,indicator,tonnes\n${code},${new Date().getFullYear()},1,mining_ion_adsorption,123.456\n`);
    expect(await y('quota', 'production', '--file', file, '--as', 'xunwu-mine')).toMatch(/1 rows read, 1 changed the ledger/);
    expect(await y('quota', 'production', '--file', file, '--as', 'xunwu-mine')).toMatch(/1 rows read, 0 changed the ledger, 1 already recorded/);
  }, 300_000);
});
