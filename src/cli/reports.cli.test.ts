import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { indicatorLine, REPORT_SCHEMA, type ReportContent } from '../domain/reports/content.ts';
import { contentHash, signSeal, type Seal } from '../domain/reports/seal.ts';
import { renderReportPdf } from '../modules/reports/report.pdf.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/ytterby.mjs', import.meta.url).pathname;

describe('ytterby reports verify checks a downloaded report offline with a saved key set', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ytterby-report-verify-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const content: ReportContent = {
    schema: REPORT_SCHEMA, period: '2026-10', subject: { level: 'enterprise', enterpriseId: 'e1', creditCode: '91360734MAA826RA3Y', divisionCode: '360734', nameZh: '赣州寻乌南岭稀土矿业有限公司', nameEn: 'Ganzhou Xunwu Nanling' },
    lines: [indicatorLine({ indicator: 'mining_ion_adsorption', allocated: 1_219_000_000n, yearToDateBefore: 691_173_000n, period: 106_237_000n, flow: 29_440_000n }, [80, 95, 100], '差额为上线前入库的矿产品')],
    massBalance: [], closing: { months: 1, closed: 1, late: 0, missing: 0, open: 0 }, remarks: null, enterpriseReports: 1, constituents: [], listed: [], explanations: [],
  };
  const seal: Seal = { reportId: 'r1', version: 1, replacesReportId: null, period: '2026-10', level: 'enterprise', subjectKey: 'e1', contentHash: contentHash(content), submittedBy: 'xunwu-mine', submittedByName: '赣州寻乌南岭稀土矿业有限公司', submittedAt: '2026-11-08T02:00:00.000Z', keyId: 'k-test', algorithm: 'Ed25519' };
  const doc = { seal, signature: signSeal(seal, privateKey), content };
  const keys = join(dir, 'keys.json');
  writeFileSync(keys, JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k-test', alg: 'EdDSA', use: 'sig' }] }));
  const y = (...args: string[]) => run('node', [BIN, 'reports', 'verify', ...args, '--keys', keys], { timeout: 60_000 });

  it('accepts the signed JSON and the PDF that carries it, and refuses a changed figure with exit 2', async () => {
    writeFileSync(join(dir, 'report.json'), JSON.stringify(doc));
    expect((await y(join(dir, 'report.json'))).stdout).toContain('signature valid');
    writeFileSync(join(dir, 'report.pdf'), await renderReportPdf(doc, 'zh-CN'));
    expect((await y(join(dir, 'report.pdf'))).stdout).toContain('signature valid');
    const changed = structuredClone(doc);
    changed.content.lines[0]!.periodReoGrams = '106238000';
    writeFileSync(join(dir, 'changed.json'), JSON.stringify(changed));
    const refused = await y(join(dir, 'changed.json')).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toContain('NOT VALID (content_changed)');
  }, 120_000);
});
