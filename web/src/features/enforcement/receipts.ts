// 送达 and 整改复查: the calls of the enterprise's page 我的执法检查 and of the inspector's 复查
// (docs/enforcement.md, "The enterprise's view").
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type ServedDocument = Schemas['ServedDocument'];
export type Receipt = Schemas['Receipt'];
export type ReceiptInput = Schemas['ReceiptInput'];
export type TaskReview = Schemas['TaskReviewView'];
export type ReviewFinding = Schemas['ReviewFinding'];

export const listServed = (params: { pending?: boolean; page?: number; page_size?: number } = {}) =>
  api.get<List<ServedDocument>>(`/api/v1/enforcement/served${qs(params)}`);
export const servedPdfUrl = (id: string) => `/api/v1/enforcement/served/${encodeURIComponent(id)}/pdf`;
export const serveDocument = (id: string, body: ReceiptInput) =>
  api.post<Receipt>(`/api/v1/enforcement/documents/${encodeURIComponent(id)}/receipt`, body);
export const listReceipts = (params: { subject_id?: string; page_size?: number } = {}) =>
  api.get<List<Receipt>>(`/api/v1/enforcement/receipts${qs(params)}`);

const review = (task: string) => `/api/v1/enforcement/tasks/${encodeURIComponent(task)}/review`;
export const getReview = (task: string) => api.get<TaskReview>(review(task));
export const submitRectification = (task: string, hazard: string, body: { note: string; attachments: string[] }) =>
  api.post<ReviewFinding>(`${review(task)}/${encodeURIComponent(hazard)}/rectification`, body);
export const decideReview = (task: string, hazard: string, body: { decision: 'accept' | 'reject'; note?: string }) =>
  api.post<ReviewFinding>(`${review(task)}/${encodeURIComponent(hazard)}/decision`, body);

/** Days from today (Asia/Shanghai) to a YYYY-MM-DD deadline: negative when past. */
export function daysUntil(day: string | null | undefined, now = Date.now()): number | null {
  if (!day) return null;
  const today = new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** How a receipt reads: 2026-12-03 直接送达（签收） 王经理. */
export function servedText(r: Receipt, date: (ms: number) => string): string {
  return `${date(r.served_ms)} ${r.method_label}${r.signer_name ? ` ${r.signer_name}` : ''}`;
}
