/** Helpers for quota tests: an approved plan for a fresh year, walked through the real workflow. */
import { expect } from 'vitest';
import type { App } from '../../src/http/context.ts';
import { signIn, type Caller } from './api.ts';
import { todayInChina } from '../../src/domain/validity.ts';

export async function approvedPlan(app: App, year: number, lines: Record<string, string>): Promise<void> {
  const admin = await signIn(app, 'admin');
  const created = await admin.post('/api/quota/plans', { year, basisText: 'test', lines: Object.entries(lines).map(([indicator, amountTonnesReo]) => ({ indicator, amountTonnesReo })) });
  expect(created.status, created.body).toBe(201);
  for (const signer of ['admin', 'mnr', 'ndrc']) {
    const res = await (await signIn(app, signer)).post(`/api/quota/plans/${year}/signoffs`, { decision: 'agree' });
    expect(res.status, res.body).toBe(200);
  }
  expect((await admin.post(`/api/quota/plans/${year}/submit`)).status).toBe(200);
  // Approvals are recorded once given: today, for a plan of a future year.
  expect((await admin.post(`/api/quota/plans/${year}/approval`, { documentNo: `国函〔${year}〕1号`, approvedOn: todayInChina() })).json.status).toBe('approved');
}

/** The id of the enterprise a demo operator belongs to. */
export async function enterpriseOf(app: App, username: string): Promise<string> {
  return (await (await signIn(app, username)).get('/api/session')).json.user.enterprise.id;
}

export async function openBatch(admin: Caller, year: number): Promise<string> {
  const res = await admin.post('/api/quota/batches', { year, name: `测试批次 ${Math.random().toString(36).slice(2, 6)}` });
  expect(res.status, res.body).toBe(201);
  return res.json.id;
}
