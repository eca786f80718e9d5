// 履职报告 and 两单两卡 (/api/v1/credit/duty-reports, /api/v1/credit/posts).
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type DutyReport = Schemas['DutyReport'];
export type OverdueReport = Schemas['OverdueReport'];
export type CreditPost = Schemas['CreditPost'];
export type PostInput = Schemas['PostInput'];
export type PostCompleteness = Schemas['PostCompleteness'];

export const REPORT_STATUSES = [
  { value: 'submitted', label: '待审核', tag: 'warning' },
  { value: 'accepted', label: '已通过', tag: 'success' },
  { value: 'returned', label: '已退回', tag: 'danger' },
] as const;
export const statusTag = (s: string) => REPORT_STATUSES.find((x) => x.value === s)?.tag ?? 'info';

export const listReports = (p: { period?: string; status?: string }) =>
  api.get<List<DutyReport>>(`/api/v1/credit/duty-reports${qs(p)}`);
export const listOverdue = (p: { period?: string }) =>
  api.get<List<OverdueReport>>(`/api/v1/credit/duty-reports/overdue${qs(p)}`);
export const submitReport = (b: { period: string; text: string; attachment_ids?: string[] }) =>
  api.post<DutyReport>('/api/v1/credit/duty-reports', b);
export const reviewReport = (id: string, decision: 'accept' | 'return', reason?: string) =>
  api.post<DutyReport>(`/api/v1/credit/duty-reports/${id}/review`, { decision, reason: reason ?? null });

export const listPosts = (p: { enterprise_id?: string }) => api.get<List<CreditPost>>(`/api/v1/credit/posts${qs({ ...p, page_size: 100 })}`);
export const completeness = () => api.get<List<PostCompleteness>>('/api/v1/credit/posts/completeness?page_size=100');
export const createPost = (b: PostInput) => api.post<CreditPost>('/api/v1/credit/posts', b);
export const updatePost = (id: string, b: PostInput) => api.put<CreditPost>(`/api/v1/credit/posts/${id}`, b);
export const deletePost = (id: string) => api.del<void>(`/api/v1/credit/posts/${id}`);

/** A textarea's lines as a list (blank lines dropped), and back. */
export const toLines = (s: string) => s.split('\n').map((l) => l.trim()).filter((l) => l !== '');
export const fromLines = (l: string[] | undefined) => (l ?? []).join('\n');
