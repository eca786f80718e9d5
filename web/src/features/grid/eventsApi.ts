// 网格事件: every call the event pages make, with the types from the API document
// (docs/grid-events.md).
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type GridEvent = Schemas['GridEvent'];
export type GridEventDetail = Schemas['GridEventDetail'];
export type GridEventInput = Schemas['GridEventInput'];
export type GridBoard = Schemas['GridBoard'];
export type GridBoardUnit = Schemas['GridBoardUnit'];
export type GridCategory = Schemas['GridEventCategory'];

export const EVENTS_PATH = '/api/v1/grid/events';

export interface EventQuery { status?: string; source?: string; category?: string; open?: boolean; mine?: boolean; q?: string; from?: string; to?: string; page?: number; page_size?: number }

export const listEvents = (p: EventQuery) => api.get<List<GridEvent>>(`${EVENTS_PATH}${qs(p as Record<string, unknown>)}`);
export const getEvent = (id: string) => api.get<GridEventDetail>(`${EVENTS_PATH}/${id}`);
export const fileEvent = (b: GridEventInput) => api.post<GridEventDetail>(EVENTS_PATH, b);
export const dispatchEvent = (id: string, unit_kind: string, unit_id: string) => api.post<GridEventDetail>(`${EVENTS_PATH}/${id}/dispatch`, { unit_kind, unit_id });
export const acceptEvent = (id: string) => api.post<GridEventDetail>(`${EVENTS_PATH}/${id}/accept`, {});
export const returnEvent = (id: string, reason: string) => api.post<GridEventDetail>(`${EVENTS_PATH}/${id}/return`, { reason });
export const handleEvent = (id: string, result: string, answer: string | null, attachments: string[]) =>
  api.post<GridEventDetail>(`${EVENTS_PATH}/${id}/handle`, { result, answer, attachments });
export const answerEvent = (id: string, answer: string) => api.post<GridEventDetail>(`${EVENTS_PATH}/${id}/answer`, { answer });
export const visitEvent = (id: string, satisfied: boolean | null, note: string | null) =>
  api.post<GridEventDetail>(`${EVENTS_PATH}/${id}/visit`, { satisfied, note });
export const listDuplicates = (id: string) => api.get<GridEvent[]>(`${EVENTS_PATH}/${id}/duplicates`);
export const mergeEvent = (id: string, into: string) => api.post<GridEventDetail>(`${EVENTS_PATH}/${id}/merge`, { into });
export const getBoard = () => api.get<GridBoard>('/api/v1/grid/board');
export const listCategories = () => api.get<GridCategory[]>('/api/v1/grid/categories');

/** The duty room (core::grid::events::may_dispatch). */
export const DISPATCHERS = ['admin', 'commander', 'duty_officer'];
/** Who files from the phone or the console (core::grid::events::intake_source). */
export const INTAKE = ['admin', 'commander', 'duty_officer', 'grid_worker', 'street_staff'];

export const STATUSES: { code: string; label: string; tone: 'danger' | 'warning' | 'primary' | 'success' | 'info' }[] = [
  { code: 'pending_dispatch', label: '待分拨', tone: 'danger' },
  { code: 'dispatched', label: '待签收', tone: 'warning' },
  { code: 'accepted', label: '处置中', tone: 'primary' },
  { code: 'handled', label: '待反馈', tone: 'primary' },
  { code: 'answered', label: '待回访', tone: 'success' },
  { code: 'closed', label: '已办结', tone: 'info' },
  { code: 'merged', label: '已合并', tone: 'info' },
];
export const SOURCES: { code: string; label: string }[] = [
  { code: 'grid', label: '网格员巡查' },
  { code: 'public', label: '群众随手拍' },
  { code: 'hotline', label: '12345/12350热线' },
  { code: 'opinion', label: '舆情' },
  { code: 'duty', label: '值班接报' },
];
export const statusTone = (s: string) => STATUSES.find((x) => x.code === s)?.tone ?? 'info';

/** The 督办 card's colour: 提醒 blue, 黄牌 amber, 红牌 red. */
export const CARD_COLOURS: Record<string, string> = { remind: '#1565c0', yellow: '#f9a825', red: '#c62828' };
/** Text on the card's colour (dark on amber, white on blue and red: contrast ≥ 4.5). */
export const cardStyle = (card: string) => ({ background: CARD_COLOURS[card], color: card === 'yellow' ? '#3d2c00' : '#fff' });

/** The deadline running for an event in its state, if any: (label, due). */
export function runningDeadline(e: GridEvent): { label: string; due: number } | null {
  if (e.status === 'dispatched' && e.accept_due_ms != null) return { label: '签收', due: e.accept_due_ms };
  if (e.status === 'accepted' && e.handle_due_ms != null) return { label: '处置', due: e.handle_due_ms };
  if (e.status === 'handled' && e.feedback_due_ms != null) return { label: '反馈', due: e.feedback_due_ms };
  return null;
}

/** "签收剩 25 分钟" / "处置已超时 3 小时", and its colour. */
export function countdown(e: GridEvent, now: number): { text: string; tone: 'danger' | 'warning' | 'success' } | null {
  const d = runningDeadline(e);
  if (!d) return null;
  const left = d.due - now;
  const m = Math.floor(Math.abs(left) / 60000);
  const days = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const span = days > 0 ? `${days} 天 ${h} 小时` : h > 0 ? `${h} 小时 ${m % 60} 分` : `${m % 60} 分钟`;
  if (left < 0) return { text: `${d.label}已超时 ${span}`, tone: 'danger' };
  return { text: `${d.label}剩 ${span}`, tone: left < 3600_000 ? 'warning' : 'success' };
}

// 网格事件统计 (docs/grid/stats.md).
export type GridStats = Schemas['GridStats'];
export type GridStatsLine = Schemas['GridStatsLine'];
export type GridStatsRate = Schemas['GridStatsRate'];
export interface StatsQuery { from?: string; to?: string; street?: string }
export const STATS_PATH = '/api/v1/grid/stats';
export const getStats = (p: StatsQuery) => api.get<GridStats>(`${STATS_PATH}${qs(p as Record<string, unknown>)}`);
