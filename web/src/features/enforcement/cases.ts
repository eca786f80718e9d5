// 行政处罚案件: the calls of the cases board and drawer (docs/enforcement.md, "Cases").
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type Case = Schemas['Case'];
export type CaseStepInput = Schemas['CaseStepInput'];

/** The states in order (core::enforcement::case::CaseState): the board's columns. */
export const CASE_STATES = [
  { value: 'filed', label: '立案' },
  { value: 'investigating', label: '调查取证' },
  { value: 'reviewing', label: '案件审理' },
  { value: 'notified', label: '告知' },
  { value: 'decided', label: '决定' },
  { value: 'executing', label: '执行' },
  { value: 'closed', label: '结案' },
];

/** Accident grades of the discretion table (core::enforcement::case::GRADES). */
export const GRADES = [
  { value: 'general', label: '一般事故' },
  { value: 'large', label: '较大事故' },
  { value: 'major', label: '重大事故' },
  { value: 'extraordinary', label: '特别重大事故' },
];

export const listCases = (params: { state?: string; page?: number; page_size?: number }) =>
  api.get<List<Case>>(`/api/v1/enforcement/cases${qs(params)}`);
export const getCase = (id: string) => api.get<Case>(`/api/v1/enforcement/cases/${encodeURIComponent(id)}`);
export const takeStep = (id: string, body: CaseStepInput) =>
  api.post<Case>(`/api/v1/enforcement/cases/${encodeURIComponent(id)}/steps`, body);

/** 剩 N 天 / 今日到期 / 逾期 N 天. */
export function countdown(days: number): string {
  if (days > 0) return `剩 ${days} 天`;
  if (days === 0) return '今日到期';
  return `逾期 ${-days} 天`;
}

/** 元 with separators. */
export const yuan = (v: number | null | undefined) => (v == null ? '—' : `${v.toLocaleString('zh-CN')} 元`);

export type CaseInput = Schemas['CaseInput'];
export const fileCase = (body: CaseInput) => api.post<Case>('/api/v1/enforcement/cases', body);

/** 案件来源 (core::enforcement::case::SOURCES). */
export const SOURCES = [
  { value: 'finding', label: '检查发现' },
  { value: 'complaint', label: '投诉举报' },
  { value: 'referral', label: '移送' },
];

/** 元 from 分, two decimals (加处罚款). */
export const fen = (v: number | null | undefined) => (v == null ? '—' : `${(v / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`);

/** Who may open a case (core::enforcement::case::may_file). */
export const mayFile = (role: string | undefined) => ['admin', 'commander', 'department_staff', 'inspector'].includes(role ?? '');

/** What the 立案 form starts with when opened from an inspection's finding. */
export interface CasePrefill { enterprise_id?: string; enterprise_name?: string; task_id?: string; source_id?: string; title?: string; facts?: string }
