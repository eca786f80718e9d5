// 执法统计与考评: the statistics of a year or month within the caller's departments
// (GET /api/v1/enforcement/stats; the workbook is /api/v1/enforcement/stats.xlsx).
import { api, qs, type Schemas } from '../../kernel/http';

export type EnforcementStats = Schemas['EnforcementStats'];
export type StatsFlag = Schemas['Flag'];

export function enforcementStats(params: { year: number; month?: number; department_id?: string }) {
  return api.get<EnforcementStats>(`/api/v1/enforcement/stats${qs(params)}`);
}
