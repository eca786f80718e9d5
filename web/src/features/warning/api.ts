// 预警: warnings (drafted, approved, taken in as CAP), the feeds polled for them, the targeting
// rules' code lists, the work orders of the responsible persons and the 叫应 figures, the objects
// a warning concerns (承灾体) and the public warning page.
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type Warning = Schemas['Warning'];
export type WarningInput = Schemas['WarningInput'];
export type WarningMeta = Schemas['WarningMeta'];
export type TargetingConfig = Schemas['TargetingConfig'];
export type TargetingResponse = Schemas['TargetingResponse'];
export type Group = Schemas['Group'];
export type Feed = Schemas['Feed'];
export type FeedInput = Schemas['FeedInput'];
export type FeedEntryRecord = Schemas['FeedEntryRecord'];
export type PollReport = Schemas['PollReport'];
export type PublicWarning = Schemas['PublicWarning'];
export type ProtectedObject = Schemas['ProtectedObject'];
export type OrderAnswer = Schemas['OrderAnswer'];
/** What the responsible person reported back (the document leaves `report` open). */
export interface OrderReport { arrived?: boolean; patrolled?: boolean; relocated?: number; note?: string | null; attachments?: string[] }
export type WorkOrder = Omit<Schemas['WorkOrder'], 'report'> & { report?: OrderReport | null };

// Warnings.
export const warningMeta = () => api.get<WarningMeta>('/api/v1/warnings/meta');
export const listWarnings = (params: Record<string, unknown>) => api.get<List<Warning>>(`/api/v1/warnings${qs(params)}`);
export const getWarning = (id: string) => api.get<Warning>(`/api/v1/warnings/${id}`);
export const createWarning = (body: WarningInput) => api.post<Warning>('/api/v1/warnings', body);
export const warningAction = (id: string, action: string) => api.post<Warning>(`/api/v1/warnings/${id}/actions`, { action });
export const warningResponse = (id: string) => api.get<TargetingResponse>(`/api/v1/warnings/${id}/response`);
export const warningEffectiveness = (params: { from?: string; to?: string }) => api.get<TargetingResponse>(`/api/v1/warnings/effectiveness${qs(params)}`);
export const publicWarnings = () => api.get<PublicWarning[]>('/api/public/warnings');

// Feeds.
export const listFeeds = () => api.get<List<Feed>>('/api/v1/warning-feeds?page_size=100');
export const createFeed = (body: FeedInput) => api.post<Feed>('/api/v1/warning-feeds', body);
export const updateFeed = (id: string, body: FeedInput) => api.put<Feed>(`/api/v1/warning-feeds/${id}`, body);
export const pollFeed = (id: string) => api.post<PollReport>(`/api/v1/warning-feeds/${id}/poll`, {});
export const feedEntries = (id: string) => api.get<FeedEntryRecord[]>(`/api/v1/warning-feeds/${id}/entries`);

// Work orders.
export const listWorkOrders = (params: Record<string, unknown>) => api.get<List<WorkOrder>>(`/api/v1/work-orders${qs(params)}`);
export const getWorkOrder = (id: string) => api.get<WorkOrder>(`/api/v1/work-orders/${id}`);
export const answerWorkOrder = (id: string, body: OrderAnswer) => api.post<WorkOrder>(`/api/v1/work-orders/${id}/answer`, body);
/** The path a 反馈 is posted to (through kernel/drafts.ts, with its idempotency key). */
export const answerPath = (id: string) => `/api/v1/work-orders/${id}/answer`;

// Protected objects (承灾体).
export const listProtectedObjects = (params: Record<string, unknown>) => api.get<List<ProtectedObject>>(`/api/v1/protected-objects${qs(params)}`);
export const createProtectedObject = (body: unknown) => api.post<ProtectedObject>('/api/v1/protected-objects', body);
export const updateProtectedObject = (id: string, body: unknown) => api.put<ProtectedObject>(`/api/v1/protected-objects/${id}`, body);
