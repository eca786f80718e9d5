// 信用脸谱: ratings, distribution, one enterprise's detail, replay, adjustments and objections
// (crates/server/src/routes/credit/rating.rs, adjustments.rs, objections.rs, scheme.rs).
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type CreditRating = Schemas['CreditRating'];
export type CreditDetail = Schemas['CreditDetail'];
export type CreditReplay = Schemas['CreditReplay'];
export type Tier = Schemas['Tier'];
export type SchemeVersion = Schemas['CreditSchemeVersion'];

export interface RatingFilter { tier?: string; street?: string; category?: string; page?: number; page_size?: number }

export const listRatings = (f: RatingFilter) => api.get<List<CreditRating>>(`/api/v1/credit/ratings${qs({ ...f })}`);
export const ratingDistribution = () => api.get<{ tier: string; count: number }[]>('/api/v1/credit/distribution');
export const ratingDetail = (id: string) => api.get<CreditDetail>(`/api/v1/credit/ratings/${encodeURIComponent(id)}`);
export const replayRating = (id: string, asOf: string) =>
  api.get<CreditReplay>(`/api/v1/credit/ratings/${encodeURIComponent(id)}/replay${qs({ as_of: asOf })}`);
export const adjustRating = (id: string, body: { points: number; reason: string }) =>
  api.post<CreditReplay>(`/api/v1/credit/ratings/${encodeURIComponent(id)}/adjustments`, body);
export const objectRating = (id: string, body: { text: string }) =>
  api.post<Schemas['CreditObjection']>(`/api/v1/credit/ratings/${encodeURIComponent(id)}/objections`, body);
export const answerObjection = (id: string, body: { upheld: boolean; answer: string; points?: number | null }) =>
  api.post<Schemas['CreditObjection']>(`/api/v1/credit/objections/${encodeURIComponent(id)}/answer`, body);
export const creditScheme = () => api.get<SchemeVersion>('/api/v1/credit/scheme');

/** May adjust a rating and answer objections (core::credit::rating::may_adjust). */
export const mayAdjust = (role?: string | null) => ['admin', 'commander', 'department_staff'].includes(role ?? '');

/** Black or white text on a tier's colour, whichever reads better. */
export function inkOn(colour: string): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (!m) return '#fff';
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h, 16));
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#1f2328' : '#fff';
}

/** A reason's points with their sign (+5, −10). */
export const signed = (p: number) => (p > 0 ? `+${p}` : p < 0 ? `−${-p}` : '0');
