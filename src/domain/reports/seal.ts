/**
 * The seal of a submitted report: the SHA-256 of its canonical content, with who submitted it
 * and when, signed with Ed25519. Anyone with the published public key can check a downloaded
 * report: change one figure and the content hash, hence the seal, no longer matches.
 */
import { createHash, createPublicKey, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../canonical-json.ts';
import type { ReportContent } from './content.ts';

export interface Seal {
  reportId: string;
  version: number;
  replacesReportId: string | null;
  period: string;
  level: string;
  subjectKey: string;
  contentHash: string;
  submittedBy: string;
  submittedByName: string;
  submittedAt: string;
  keyId: string;
  algorithm: 'Ed25519';
}

export interface SignedReport { seal: Seal; signature: string; content: ReportContent }

export function contentHash(content: ReportContent): string {
  return `sha256:${createHash('sha256').update(canonicalJson(content)).digest('hex')}`;
}

const sealBytes = (seal: Seal): Buffer => Buffer.from(canonicalJson(seal), 'utf8');

/** The signature over the seal, base64url. */
export function signSeal(seal: Seal, privateKey: KeyObject): string {
  return sign(null, sealBytes(seal), privateKey).toString('base64url');
}

export type VerifyOutcome =
  | { valid: true }
  | { valid: false; reason: 'content_changed' | 'signature_invalid' | 'unknown_key' | 'malformed'; message: string };

/**
 * Checks a downloaded report against the published keys (key id → public key, as JWK or KeyObject).
 * @example verifySignedReport(JSON.parse(file), keys) // { valid: true }
 */
export function verifySignedReport(doc: unknown, keys: ReadonlyMap<string, KeyObject | JsonWebKey>): VerifyOutcome {
  const d = doc as Partial<SignedReport> | null;
  if (!d || typeof d !== 'object' || !d.seal || typeof d.signature !== 'string' || !d.content) {
    return { valid: false, reason: 'malformed', message: 'a signed report has seal, signature and content' };
  }
  const key = keys.get(d.seal.keyId);
  if (!key) return { valid: false, reason: 'unknown_key', message: `key ${d.seal.keyId} is not among the published keys` };
  if (contentHash(d.content) !== d.seal.contentHash) {
    return { valid: false, reason: 'content_changed', message: 'the content does not match the sealed content hash: a figure or text was changed after signing' };
  }
  const publicKey = 'type' in key && typeof (key as KeyObject).export === 'function' ? key as KeyObject : createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
  const ok = verify(null, sealBytes(d.seal), publicKey, Buffer.from(d.signature, 'base64url'));
  return ok ? { valid: true } : { valid: false, reason: 'signature_invalid', message: 'the signature does not match the seal' };
}
