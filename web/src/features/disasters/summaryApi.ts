// 灾情统计: the district's summary over years and the yearbook its indicators divide by
// (docs/disasters/summary.md).
import { api, qs, type Schemas } from '../../kernel/http';

export type Summary = Schemas['DisasterSummary'];
export type SummaryLine = Schemas['DisasterSummaryLine'];
export type Indicator = Schemas['DisasterIndicator'];
export type YearbookLine = Schemas['DisasterYearbookLine'];
export type YearbookInput = Schemas['DisasterYearbookInput'];

export type SummaryQuery = { from_year?: number; to_year?: number; kind?: string };
export const getSummary = (q: SummaryQuery) => api.get<Summary>(`/api/v1/disasters/summary${qs(q)}`);
export const getYearbook = () => api.get<YearbookLine[]>('/api/v1/disasters/yearbook');
export const saveYearbook = (b: YearbookInput) => api.put<YearbookLine[]>('/api/v1/disasters/yearbook', b);
