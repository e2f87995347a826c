/**
 * The Ed25519 keys that seal submitted reports. The private key comes from the file named by
 * YTTERBY_SIGNING_KEY_FILE (PKCS#8 PEM) where the deployment keeps it outside the database;
 * otherwise one is generated on first use and kept in `signing_keys`. Public keys, retired ones
 * included, are published as a JWK set so any downloaded report can be checked.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { and, desc, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { verifySignedReport, type VerifyOutcome } from '../../domain/reports/seal.ts';
import { signingKeys } from './reports.tables.ts';

export interface SigningKey { id: string; privateKey: KeyObject }
/** A public key as JWK (RFC 8037: OKP, Ed25519). */
export interface PublishedKey { kid: string; kty: string; crv: string; x: string; alg: 'EdDSA'; use: 'sig'; createdAt: string; retiredAt: string | null }

const keyId = (publicKey: KeyObject): string =>
  `ytterby-ed25519-${createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('hex').slice(0, 16)}`;

const cache = new WeakMap<object, Promise<SigningKey>>();

export function activeSigningKey(db: Db): Promise<SigningKey> {
  const session = (db as unknown as { session: object }).session ?? db;
  let hit = cache.get(session);
  if (!hit) {
    hit = loadKey(db);
    cache.set(session, hit);
    hit.catch(() => cache.delete(session));
  }
  return hit;
}

async function loadKey(db: Db): Promise<SigningKey> {
  const file = process.env.YTTERBY_SIGNING_KEY_FILE;
  if (file) {
    const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} does not hold an Ed25519 private key`);
    const publicKey = createPublicKey(privateKey);
    const id = keyId(publicKey);
    await db.insert(signingKeys).values({ id, algorithm: 'Ed25519', publicKey: publicKey.export({ format: 'jwk' }), privateKeyPem: null }).onConflictDoNothing();
    return { id, privateKey };
  }
  const stored = async () => (await db.select().from(signingKeys)
    .where(and(isNull(signingKeys.retiredAt), isNotNull(signingKeys.privateKeyPem))).orderBy(desc(signingKeys.createdAt)).limit(1))[0];
  let row = await stored();
  if (!row) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    await db.insert(signingKeys).values({
      id: keyId(publicKey), algorithm: 'Ed25519', publicKey: publicKey.export({ format: 'jwk' }),
      privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    }).onConflictDoNothing();
    row = await stored(); // another process may have won the race: use whichever key is stored
  }
  return { id: row!.id, privateKey: createPrivateKey(row!.privateKeyPem!) };
}

export async function publishedKeys(db: Db): Promise<{ keys: PublishedKey[] }> {
  const rows = await db.select().from(signingKeys).orderBy(desc(signingKeys.createdAt));
  return {
    keys: rows.map((r) => ({
      ...(r.publicKey as { kty: string; crv: string; x: string }), kid: r.id, alg: 'EdDSA', use: 'sig', createdAt: r.createdAt.toISOString(), retiredAt: r.retiredAt?.toISOString() ?? null,
    })),
  };
}

/** Checks a downloaded signed report against the published keys. */
export async function verifyReportDocument(db: Db, doc: unknown): Promise<VerifyOutcome> {
  const { keys } = await publishedKeys(db);
  return verifySignedReport(doc, new Map(keys.map((k) => [k.kid, { kty: k.kty, crv: k.crv, x: k.x } as JsonWebKey])));
}
