import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { describeEachTier } from '../../../test/support/databases.ts';
import { demoApp, type Fixture } from '../../../test/support/fixture.ts';
import { signIn, type Caller } from '../../../test/support/api.ts';
import { verifyAuditChain } from './audit.service.ts';
import { queryRows } from '../../db/database.ts';
import { sqlState } from '../../db/transaction.ts';

describeEachTier('audit log: every write recorded, searchable, append-only and hash-chained', (tier) => {
  let fx: Fixture;
  let admin: Caller;
  beforeAll(async () => {
    fx = await demoApp(tier);
    admin = await signIn(fx.app, 'admin');
  });
  afterAll(() => fx?.close());

  it('an update is recorded with who, what, when, from where, and before/after', async () => {
    const product = (await admin.get('/api/products?pageSize=1')).json.items[0];
    await admin.patch(`/api/products/${product.id}`, { nameEn: 'Renamed for audit' });
    const auditor = await signIn(fx.app, 'auditor');
    const res = await auditor.get(`/api/audit?entity=product&entityId=${product.id}`);
    expect(res.status).toBe(200);
    const entry = res.json.items[0];
    expect(entry).toMatchObject({ action: 'update', actorUsername: 'admin', entity: 'product', entityId: product.id });
    expect(entry.ip).toBeTruthy();
    expect(entry.before.nameEn).toBe(product.nameEn);
    expect(entry.after.nameEn).toBe('Renamed for audit');
    const byActor = await auditor.get('/api/audit?actor=admin&action=update');
    expect(byActor.json.items.every((e: { actorUsername: string; action: string }) => e.actorUsername === 'admin' && e.action === 'update')).toBe(true);
  });

  it('refused writes leave no audit entry', async () => {
    const auditor = await signIn(fx.app, 'auditor');
    const before = (await auditor.get('/api/audit?pageSize=1')).json.total;
    await admin.post('/api/products', { code: 'BAD', nameZh: 'x', nameEn: 'x', category: 'metal', reoContent: '2' });
    expect((await auditor.get('/api/audit?pageSize=1')).json.total).toBe(before);
  });

  it('only auditors and ministry administrators may search it', async () => {
    expect((await (await signIn(fx.app, 'xunwu')).get('/api/audit')).status).toBe(403);
    expect((await (await signIn(fx.app, 'reviewer')).get('/api/audit')).status).toBe(403);
    expect((await admin.get('/api/audit')).status).toBe(200);
  });

  it('the database refuses UPDATE and DELETE on the log', async () => {
    for (const statement of [sql`update audit_log set action = 'x'`, sql`delete from audit_log`]) {
      const error = await fx.database.db.execute(statement).then(() => null, (e: unknown) => e);
      expect(sqlState(error)).toBe('42501');
      expect(String((error as { cause?: Error }).cause?.message ?? error)).toMatch(/append-only/);
    }
  });

  it('the hash chain verifies, and a row changed behind the application’s back is found', async () => {
    const ok = await verifyAuditChain(fx.database.db);
    expect(ok.firstBrokenId).toBeNull();
    expect(ok.checked).toBeGreaterThan(100);
    const [victim] = await queryRows<{ id: string | number }>(fx.database.db, sql`select id from audit_log order by id limit 1 offset 50`);
    await fx.database.db.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    await fx.database.db.execute(sql`update audit_log set after = '{"tampered":true}'::jsonb where id = ${victim!.id}`);
    await fx.database.db.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    const broken = await verifyAuditChain(fx.database.db);
    expect(broken).toMatchObject({ firstBrokenId: String(victim!.id), reason: 'hash_mismatch', checked: 50 });
  });
});
