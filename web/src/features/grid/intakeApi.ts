// 群众随手拍 (issue 24): the public form's categories, filing, the tracking page and the
// reporter's own 回访 — all without login.
import { api, type Schemas } from '../../kernel/http';

export type PublicCategory = Schemas['PublicCategory'];
export type PublicEventInput = Schemas['PublicEventInput'];
export type PublicEventReceipt = Schemas['PublicEventReceipt'];
export type PublicEventTracking = Schemas['PublicEventTracking'];
export type PublicVisitInput = Schemas['PublicVisitInput'];

export const publicCategories = () => api.get<PublicCategory[]>('/api/public/grid-categories');
export const filePublicEvent = (body: PublicEventInput) => api.post<PublicEventReceipt>('/api/public/grid-events', body);
export const trackPublicEvent = (code: string) => api.get<PublicEventTracking>(`/api/public/grid-events/${encodeURIComponent(code)}`);
export const visitPublicEvent = (code: string, body: PublicVisitInput) =>
  api.post<PublicEventTracking>(`/api/public/grid-events/${encodeURIComponent(code)}/visit`, body);
