// Drafts kept on the phone when the network drops: a hazard report, a patrol check-in or a
// work-order answer is sent at once when it can be, else kept in IndexedDB (its photos as blobs)
// and sent when the network returns. Every submission carries a client-generated key in the
// `Idempotency-Key` header, kept with its draft, so a draft sent twice (the answer was lost, two
// tabs flushed at once) is recorded once by the server.
import { reactive } from 'vue';
import { ApiError, api } from './http';
import { uploadAttachment } from './attachments';
import { session } from './session';

export type DraftKind = 'hazard' | 'patrol' | 'work_order_answer' | 'grid_event';

export interface Draft {
  /** The idempotency key, also the draft's id. */
  key: string;
  /** Who wrote it: a draft is sent only in its author's session (a shared phone). */
  user_id: string;
  kind: DraftKind;
  /** What the user reads in the list of pending drafts. */
  title: string;
  path: string;
  /** The JSON body; the ids of the photos are added to `attachments` once uploaded. */
  body: Record<string, unknown>;
  /** Photos not uploaded yet. */
  photos: { name: string; type: string; blob: Blob }[];
  /** Photos uploaded so far (kept, so a retry does not upload them again). */
  uploaded: string[];
  created_ms: number;
  state: 'pending' | 'failed';
  /** Why the server refused it (a failed draft waits for the user). */
  error?: string;
}

/** At most this many drafts, and this many bytes of photos, are kept on the phone. */
export const MAX_DRAFTS = 20;
export const MAX_DRAFT_BYTES = 40 * 1024 * 1024;

/** The drafts on this phone, for the 待发送 bar. */
export const drafts = reactive<{ items: Draft[]; sending: boolean }>({ items: [], sending: false });

const DB = 'yingji-drafts';
const STORE = 'drafts';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => { r.result.createObjectStore(STORE, { keyPath: 'key' }); };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

async function tx<T>(mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const req = run(t.objectStore(STORE));
      t.oncomplete = () => resolve(req.result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  } finally { db.close(); }
}

/** The drafts of whoever is logged in, oldest first (another user's wait for them). */
async function reload() {
  const all = await tx<Draft[]>('readonly', (s) => s.getAll() as IDBRequest<Draft[]>);
  const me = session.user?.id;
  drafts.items = all.filter((d) => me && d.user_id === me).sort((a, b) => a.created_ms - b.created_ms);
}

const put = (d: Draft) => tx('readwrite', (s) => s.put(d));
const remove = (key: string) => tx('readwrite', (s) => s.delete(key));

/** A random key (crypto.randomUUID is missing outside secure contexts, e.g. plain http on an intranet). */
export function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** The network failed (fetch threw) rather than the server answering. */
function offline(e: unknown): boolean {
  return !(e instanceof ApiError) || e.status === 0 || e.status >= 502;
}

/** Uploads what is left of a draft's photos, then sends it with its key. */
async function send<T>(d: Draft): Promise<T> {
  while (d.photos.length) {
    const p = d.photos[0];
    const a = await uploadAttachment(new File([p.blob], p.name, { type: p.type }));
    d.uploaded.push(a.id);
    d.photos.shift();
  }
  const prior = Array.isArray(d.body.attachments) ? (d.body.attachments as string[]) : [];
  return api.postOnce<T>(d.path, { ...d.body, attachments: [...prior, ...d.uploaded] }, d.key);
}

export type Outcome<T> = { sent: true; result: T } | { sent: false; draft: Draft };

/**
 * Sends a submission now, or keeps it as a draft when the network is down. A refusal by the
 * server (bad input) is thrown as usual, for the form to show; nothing is kept then.
 */
export async function submit<T>(kind: DraftKind, title: string, path: string, body: Record<string, unknown>, photos: File[] = []): Promise<Outcome<T>> {
  const d: Draft = {
    key: newKey(), user_id: session.user?.id ?? '', kind, title, path, body, uploaded: [], created_ms: Date.now(), state: 'pending',
    photos: photos.map((f) => ({ name: f.name, type: f.type, blob: f })),
  };
  if (navigator.onLine) {
    try { return { sent: true, result: await send<T>(d) }; }
    catch (e) { if (!offline(e)) throw e; }
  }
  await keep(d);
  return { sent: false, draft: d };
}

async function keep(d: Draft) {
  await reload();
  const bytes = drafts.items.reduce((n, x) => n + x.photos.reduce((m, p) => m + p.blob.size, 0), 0)
    + d.photos.reduce((m, p) => m + p.blob.size, 0);
  if (drafts.items.length >= MAX_DRAFTS || bytes > MAX_DRAFT_BYTES) {
    throw new ApiError(0, 'drafts_full', `手机上待发送的草稿已满（最多 ${MAX_DRAFTS} 条、${MAX_DRAFT_BYTES / 1024 / 1024} MB 照片），请联网后再提交`, null);
  }
  await put(d);
  await reload();
}

/** Sends every pending draft, oldest first; stops at the first network failure. */
export async function flush(): Promise<number> {
  if (drafts.sending) return 0;
  drafts.sending = true;
  let sent = 0;
  try {
    await reload();
    for (const d of drafts.items.filter((x) => x.state === 'pending')) {
      try {
        await send(d);
        await remove(d.key);
        sent += 1;
      } catch (e) {
        if (offline(e)) { await put(d); break; }
        await put({ ...d, state: 'failed', error: (e as Error).message });
      }
    }
  } finally {
    drafts.sending = false;
    await reload();
  }
  if (sent) listeners.forEach((f) => f(sent));
  return sent;
}

/** Drops a draft the user gave up on. */
export async function discard(key: string) { await remove(key); await reload(); }

const listeners = new Set<(sent: number) => void>();
/** Calls `f` after drafts were sent (pages reload their lists); answers the unsubscribe. */
export function onSent(f: (sent: number) => void): () => void { listeners.add(f); return () => listeners.delete(f); }

let started = false;
/** Listens for the network's return (once), loads the drafts of whoever is logged in and sends them. */
export function startDrafts() {
  if (typeof indexedDB === 'undefined') return;
  if (!started) {
    started = true;
    window.addEventListener('online', () => { void flush(); });
  }
  void reload().then(() => (navigator.onLine ? flush() : 0)).catch(() => undefined);
}
