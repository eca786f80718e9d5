// 灾情报送: every call the 灾情报送 pages make, with the types from the API document
// (docs/disasters/reports.md).
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type Process = Schemas['DisasterProcess'];
export type ProcessDetail = Schemas['DisasterProcessDetail'];
export type ProcessInput = Schemas['DisasterProcessInput'];
export type Report = Schemas['DisasterReport'];
export type ReportInput = Schemas['DisasterReportInput'];
export type Figures = Schemas['DisasterReportFigures'];
export type Meta = Schemas['DisasterMeta'];
export type Ledgers = Schemas['DisasterLedgers'];

export const listProcesses = (p: { status?: string; page?: number; page_size?: number }) =>
  api.get<List<Process>>(`/api/v1/disasters/processes${qs(p)}`);
export const getProcess = (id: string) => api.get<ProcessDetail>(`/api/v1/disasters/processes/${id}`);
export const createProcess = (b: ProcessInput) => api.post<Process>('/api/v1/disasters/processes', b);
export const markStable = (id: string, stable_at: string) => api.post<Process>(`/api/v1/disasters/processes/${id}/stable`, { stable_at });
export const fileReport = (id: string, b: ReportInput) => api.post<Report>(`/api/v1/disasters/processes/${id}/reports`, b);
export const getMeta = () => api.get<Meta>('/api/v1/disasters/meta');
export const getLedgers = (id: string) => api.get<Ledgers>(`/api/v1/disasters/processes/${id}/ledgers`);

export const STATUS_TAGS: Record<string, 'danger' | 'warning' | 'success' | 'info' | 'primary'> = { ongoing: 'warning', stable: 'primary', verified: 'success' };

/** The countdown to the next report: "剩 1 小时 20 分" / "已逾期 5 分钟", and its colour. */
export function countdown(p: Process, now: number): { text: string; tone: 'danger' | 'warning' | 'success' | 'info' } {
  if (p.next_due_ms == null) return { text: '已核报', tone: 'info' };
  const left = p.next_due_ms - now;
  const span = (ms: number) => {
    const m = Math.floor(Math.abs(ms) / 60000);
    const d = Math.floor(m / 1440);
    const h = Math.floor((m % 1440) / 60);
    return d > 0 ? `${d} 天 ${h} 小时` : h > 0 ? `${h} 小时 ${m % 60} 分` : `${m % 60} 分钟`;
  };
  const what = p.next_kind_label ?? '';
  if (left < 0 || p.overdue) return { text: `${what}已逾期 ${span(left)}`, tone: 'danger' };
  return { text: `${what}剩 ${span(left)}`, tone: left < 2 * 3600_000 ? 'warning' : 'success' };
}

export type Informant = Schemas['DisasterInformant'];
export type InformantInput = Schemas['DisasterInformantInput'];
export const listInformants = () => api.get<Informant[]>('/api/v1/disasters/informants');
export const createInformant = (b: InformantInput) => api.post<Informant>('/api/v1/disasters/informants', b);
