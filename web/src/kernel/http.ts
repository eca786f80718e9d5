// The API client: JSON in and out, Chinese error messages from the server, and a hook that the
// app sets to send the user to the login page when the session has ended (main.ts), so that this
// module does not import the router (which imports the session, which imports this).
import type { components } from '../api/schema';

/** The API's schemas, generated from docs/api/openapi.json (`npm run gen:api`, src/api/schema.d.ts). */
export type Schemas = components['schemas'];

export interface FieldError { field: string; message: string }

export class ApiError extends Error {
  status: number;
  code: string;
  details: unknown;
  constructor(status: number, code: string, message: string, details: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
  /** Per-field messages, keyed by field name, for forms. */
  fields(): Record<string, string> {
    const out: Record<string, string> = {};
    if (Array.isArray(this.details)) {
      for (const d of this.details as FieldError[]) if (d.field && !out[d.field]) out[d.field] = d.message;
    }
    return out;
  }
}

let onError: ((err: ApiError, path: string) => void) | null = null;

/** Called with every refused request (the app redirects on 401 and on a required password change). */
export function setErrorHandler(handler: (err: ApiError, path: string) => void) { onError = handler; }

async function parse(r: Response): Promise<unknown> {
  const text = await r.text();
  if (!text) return null;
  try { return JSON.parse(text); } catch { return text; }
}

export async function request<T>(method: string, path: string, body?: unknown, raw?: { data: Blob | ArrayBuffer; type: string }, extra?: Record<string, string>): Promise<T> {
  const headers: Record<string, string> = { ...extra };
  let payload: BodyInit | undefined;
  if (raw) { headers['content-type'] = raw.type; payload = raw.data as BodyInit; }
  else if (body !== undefined) { headers['content-type'] = 'application/json'; payload = JSON.stringify(body); }
  const r = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  const data = (await parse(r)) as { code?: string; message?: string; details?: unknown } | null;
  if (!r.ok) {
    const err = new ApiError(r.status, data?.code ?? 'error', data?.message ?? `请求失败（${r.status}）`, data?.details);
    onError?.(err, path);
    throw err;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  /** A POST the server records once per `key` (the `Idempotency-Key` header; kernel/drafts.ts). */
  postOnce: <T>(path: string, body: unknown, key: string) => request<T>('POST', path, body, undefined, { 'Idempotency-Key': key }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
  /** A file as the raw body (attachments: the server checks type and size by content). */
  upload: <T>(path: string, file: File) => request<T>('POST', path, undefined, { data: file, type: file.type || 'application/octet-stream' }),
};

/** Builds a query string, leaving out empty values. */
export function qs(params: Record<string, unknown>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Downloads a file from a GET endpoint under the current session. */
export async function download(path: string, fallbackName: string) {
  const r = await fetch(path, { credentials: 'same-origin' });
  if (!r.ok) {
    const data = (await parse(r)) as { message?: string } | null;
    throw new ApiError(r.status, 'error', data?.message ?? '下载失败', null);
  }
  const blob = await r.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = fallbackName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 5000);
}

export interface List<T> { items: T[]; total: number }
