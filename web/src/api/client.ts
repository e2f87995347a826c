import type { Page, Problem } from './types';

/** An HTTP error answered by the API; carries the RFC 9457 problem document when there is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

export function isApiError(e: unknown, status?: number): e is ApiError {
  return e instanceof ApiError && (status === undefined || e.status === status);
}

/** Called on any 401 outside the session endpoint, so the app can return to the login page. */
let onUnauthorized: (() => void) | null = null;
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

export type Query = Record<string, string | number | boolean | null | undefined | readonly string[]>;

export function toSearch(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const { data } = await requestUrl<T>(method, `/api${path}${toSearch(query)}`, body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' });
  return data;
}

/**
 * A request to any path of this server (the API under /api, EPCIS under /epcis), with a raw body
 * when given; answers the parsed JSON and the response headers. Errors are ApiErrors as for `api`.
 */
export async function requestUrl<T>(
  method: string,
  url: string,
  init: { body?: BodyInit; contentType?: string; accept?: string } = {},
): Promise<{ data: T; headers: Headers; status: number }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: { accept: init.accept ?? 'application/json', ...(init.contentType ? { 'content-type': init.contentType } : {}) },
      body: init.body,
    });
  } catch (e) {
    throw new ApiError(0, { title: 'network', detail: e instanceof Error ? e.message : String(e) });
  }
  if (res.status === 204) return { data: undefined as T, headers: res.headers, status: res.status };
  const type = res.headers.get('content-type') ?? '';
  const data: unknown = type.includes('json') ? await res.json().catch(() => null) : null;
  if (!res.ok) {
    const problem: Problem = data && typeof data === 'object' ? (data as Problem) : { status: res.status, title: res.statusText };
    if (res.status === 401 && url !== '/api/session') onUnauthorized?.();
    throw new ApiError(res.status, problem);
  }
  return { data: data as T, headers: res.headers, status: res.status };
}

/** Lets other transports (an upload with progress) report a lost session the same way. */
export function notifyUnauthorized(): void {
  onUnauthorized?.();
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  list: <T>(resource: string, query?: Query) => request<Page<T>>('GET', `/${resource}`, undefined, query),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
