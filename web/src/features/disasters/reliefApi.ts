// 救助 and its 一卡通 batches: every call the 救助 pages make, with the types from the API document
// (docs/disasters/relief.md). ID and card numbers come masked; the full card is only in the bank's file.
import { api, download, request, type Schemas } from '../../kernel/http';

export type Overview = Schemas['ReliefOverview'];
export type Entry = Schemas['ReliefEntry'];
export type EntryInput = Schemas['ReliefEntryInput'];
export type Batch = Schemas['ReliefBatch'];
export type Line = Schemas['ReliefLine'];
export type PublicList = Schemas['ReliefPublicList'];
export type Timeliness = Schemas['ReliefTimeliness'];

export const getRelief = (pid: string) => api.get<Overview>(`/api/v1/disasters/processes/${pid}/relief`);
export const addEntry = (pid: string, b: EntryInput) => api.post<Overview>(`/api/v1/disasters/processes/${pid}/relief/entries`, b);
export const getTimeliness = (pid: string) => api.get<Timeliness>(`/api/v1/disasters/processes/${pid}/relief/timeliness`);
export const createBatch = (b: Schemas['ReliefBatchInput']) => api.post<Batch>('/api/v1/disasters/relief/batches', b);
export const getBatch = (id: string) => api.get<Batch>(`/api/v1/disasters/relief/batches/${id}`);
export const publishBatch = (id: string) => api.post<Batch>(`/api/v1/disasters/relief/batches/${id}/publish`);
export const objectLine = (id: string, line_id: string, reason: string) => api.post<Batch>(`/api/v1/disasters/relief/batches/${id}/objections`, { line_id, reason });
export const exportBatch = (id: string) => api.post<Batch>(`/api/v1/disasters/relief/batches/${id}/export`);
export const downloadFile = (b: Batch, format: 'xlsx' | 'csv') => download(`/api/v1/disasters/relief/batches/${b.id}/payment-file?format=${format}`, `一卡通发放_${b.code}.${format}`);
export const importResults = (id: string, file: File) => request<Batch>('POST', `/api/v1/disasters/relief/batches/${id}/results`, undefined, { data: file, type: file.name.endsWith('.csv') ? 'text/csv' : file.type || 'application/octet-stream' });
export const importEntries = (pid: string, file: File) => request<Schemas['ImportReport']>('POST', `/api/v1/disasters/processes/${pid}/relief/import`, undefined, { data: file, type: file.name.endsWith('.csv') ? 'text/csv' : file.type || 'application/octet-stream' });
export const getPublicList = (code: string) => api.get<PublicList>(`/api/public/relief/${encodeURIComponent(code)}`);

export const BATCH_STEPS = [
  { status: 'draft', label: '草稿' },
  { status: 'notice', label: '公示中' },
  { status: 'ready', label: '待发放' },
  { status: 'exported', label: '已导出' },
  { status: 'done', label: '已完成' },
];
export const STATUS_TAGS: Record<string, 'danger' | 'warning' | 'success' | 'info' | 'primary'> = { draft: 'info', notice: 'warning', ready: 'primary', exported: 'primary', done: 'success' };
export const LINE_TAGS: Record<string, 'danger' | 'warning' | 'success' | 'info' | 'primary'> = { active: 'primary', objected: 'warning', paid: 'success', failed: 'danger' };
export const VERDICT_TAGS: Record<string, 'danger' | 'warning' | 'success' | 'info'> = { met: 'success', late: 'danger', pending: 'warning', pending_late: 'danger', no_report: 'info' };

/** "剩 6 天 23 小时" until the 公示 ends; "公示期满" after. */
export function noticeLeft(b: Batch, now: number): string {
  if (b.notice_end_ms == null) return '';
  const left = b.notice_end_ms - now;
  if (left <= 0) return '公示期满';
  const h = Math.floor(left / 3600_000);
  return h >= 24 ? `剩 ${Math.floor(h / 24)} 天 ${h % 24} 小时` : `剩 ${h} 小时 ${Math.floor((left % 3600_000) / 60000)} 分`;
}
