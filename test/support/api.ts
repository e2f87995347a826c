/**
 * Helpers to call the API in-process (fastify inject) as a given demo user.
 */
import type { App } from '../../src/http/context.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/demo.seed.ts';

export interface Caller {
  get(url: string): Promise<Response>;
  post(url: string, body?: unknown): Promise<Response>;
  patch(url: string, body?: unknown): Promise<Response>;
  delete(url: string): Promise<Response>;
}

export interface Response { status: number; headers: Record<string, string | string[] | number | undefined>; json: any; body: string } // any: test assertions read arbitrary JSON

async function call(app: App, method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<Response> {
  const res = await app.inject({ method: method as 'GET', url, headers, ...(body !== undefined ? { payload: body as object } : {}) });
  let json: unknown = null;
  try { json = res.body ? JSON.parse(res.body) : null; } catch { json = null; }
  return { status: res.statusCode, headers: res.headers, json, body: res.body };
}

export function callerWithHeaders(app: App, headers: Record<string, string>): Caller {
  return {
    get: (url) => call(app, 'GET', url, headers),
    post: (url, body) => call(app, 'POST', url, headers, body),
    patch: (url, body) => call(app, 'PATCH', url, headers, body),
    delete: (url) => call(app, 'DELETE', url, headers),
  };
}

/** Signs in and returns a caller that sends the session cookie. */
export async function signIn(app: App, username: string, password = DEMO_PASSWORD): Promise<Caller> {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'ytterby_session');
  if (!cookie) throw new Error('no session cookie');
  return callerWithHeaders(app, { cookie: `ytterby_session=${cookie.value}` });
}

export const anonymous = (app: App): Caller => callerWithHeaders(app, {});
