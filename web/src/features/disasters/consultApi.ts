// 会商研判: every call the 会商研判 pages make, with the types from the API document
// (docs/disasters/consultations.md).
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type Consultation = Schemas['Consultation'];
export type ConsultationAction = Schemas['ConsultationAction'];
export type ConsultationInput = Schemas['ConsultationInput'];

export const KINDS: { code: string; label: string }[] = [
  { code: 'pre_season', label: '汛前会商' },
  { code: 'during', label: '灾中会商' },
  { code: 'after', label: '灾后会商' },
  { code: 'special', label: '专题会商' },
];
export const LINKS: { code: 'process' | 'warning' | 'incident'; label: string }[] = [
  { code: 'process', label: '灾害过程' },
  { code: 'warning', label: '预警' },
  { code: 'incident', label: '突发事件' },
];

export const listConsultations = (p: { link_kind?: string; link_id?: string; from?: string; to?: string; page?: number; page_size?: number }) =>
  api.get<List<Consultation>>(`/api/v1/disasters/consultations${qs(p)}`);
export const getConsultation = (id: string) => api.get<Consultation>(`/api/v1/disasters/consultations/${id}`);
export const createConsultation = (b: ConsultationInput) => api.post<Consultation>('/api/v1/disasters/consultations', b);
export const completeAction = (id: string, actionId: string, note: string | null) =>
  api.post<Consultation>(`/api/v1/disasters/consultations/${id}/actions/${actionId}/complete`, { note });

/** May hold a meeting (core::disasters::consultations::may_host). */
export const HOSTS = ['admin', 'commander', 'duty_officer'];

/** An action's countdown: "剩 1 天 3 小时" / "已逾期 5 分钟" / "已完成", and its colour (overdue red). */
export function actionCountdown(a: ConsultationAction, now: number): { text: string; tone: 'danger' | 'warning' | 'success' | 'info' } {
  if (a.state === 'done') return { text: '已完成', tone: 'info' };
  const left = a.due_ms - now;
  const m = Math.floor(Math.abs(left) / 60000);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const span = d > 0 ? `${d} 天 ${h} 小时` : h > 0 ? `${h} 小时 ${m % 60} 分` : `${m % 60} 分钟`;
  if (left < 0 || a.overdue) return { text: `已逾期 ${span}`, tone: 'danger' };
  return { text: `剩 ${span}`, tone: left < 24 * 3600_000 ? 'warning' : 'success' };
}

/** Open / overdue / done counts of a meeting's actions. */
export function progress(c: Consultation, now: number): { open: number; overdue: number; done: number } {
  let open = 0, overdue = 0, done = 0;
  for (const a of c.actions) {
    if (a.state === 'done') done++;
    else if (a.overdue || a.due_ms < now) overdue++;
    else open++;
  }
  return { open, overdue, done };
}

// 灾害信息员 editing (item 2; the register's list and create are in reportsApi.ts).
export type InformantEdit = Schemas['DisasterInformantInput'];
export const updateInformant = (id: string, b: InformantEdit) => api.put<Schemas['DisasterInformant']>(`/api/v1/disasters/informants/${id}`, b);
export const retireInformant = (id: string, reason: string) => api.post<Schemas['DisasterInformant']>(`/api/v1/disasters/informants/${id}/retire`, { reason });
