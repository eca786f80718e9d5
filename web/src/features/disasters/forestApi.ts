// 森林防火: the calls of the console page, the 护林员 phone page and the public 野外用火 form
// (docs/disasters/forest.md).
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type ForestSetting = Schemas['ForestSetting'];
export type ForestArea = Schemas['ForestArea'];
export type ForestAreas = Schemas['ForestAreas'];
export type ForestAreaInput = Schemas['ForestAreaInput'];
export type ForestDayLevel = Schemas['ForestDayLevel'];
export type ForestLevelResult = Schemas['ForestLevelResult'];
export type ForestIndicators = Schemas['ForestIndicators'];
export type FireUseApplication = Schemas['FireUseApplication'];
export type FireUseDetail = Schemas['FireUseDetail'];
export type FireUseForm = Schemas['FireUseForm'];
export type FireUseInput = Schemas['FireUseInput'];
export type FireUseReceipt = Schemas['FireUseReceipt'];
export type FireUseTracking = Schemas['FireUseTracking'];
export type ForestPatrol = Schemas['ForestPatrol'];
export type ForestPatrolInput = Schemas['ForestPatrolInput'];
export type ForestFirePoint = Schemas['ForestFirePoint'];
export type ForestFirePointInput = Schemas['ForestFirePointInput'];

export const forestSetting = () => api.get<ForestSetting>('/api/v1/disasters/forest/setting');
export const forestAreas = () => api.get<ForestAreas>('/api/v1/disasters/forest/areas');
export const createForestArea = (body: ForestAreaInput) => api.post<ForestArea>('/api/v1/disasters/forest/areas', body);
export const forestLevels = (from: string, to: string) => api.get<List<ForestDayLevel>>(`/api/v1/disasters/forest/levels${qs({ from, to })}`);
export const setForestLevel = (body: { day: string; level: number; note?: string }) => api.post<ForestLevelResult>('/api/v1/disasters/forest/levels', body);
export const forestIndicators = (year?: number) => api.get<ForestIndicators>(`/api/v1/disasters/forest/indicators${qs({ year })}`);
export const fireUseList = (status?: string) => api.get<List<FireUseApplication>>(`/api/v1/disasters/forest/fire-use${qs({ status })}`);
export const fireUseDetail = (id: string) => api.get<FireUseDetail>(`/api/v1/disasters/forest/fire-use/${encodeURIComponent(id)}`);
export const decideFireUse = (id: string, body: { approve: boolean; reason?: string }) => api.post<FireUseDetail>(`/api/v1/disasters/forest/fire-use/${encodeURIComponent(id)}/decision`, body);
export const forestPatrols = () => api.get<List<ForestPatrol>>('/api/v1/disasters/forest/patrols');
export const firePoints = () => api.get<List<ForestFirePoint>>('/api/v1/disasters/forest/fire-points');
export const decideFirePoint = (id: string, body: { confirm: boolean; burnt_ha?: string }) => api.post<ForestFirePoint>(`/api/v1/disasters/forest/fire-points/${encodeURIComponent(id)}/decision`, body);
export const myForestAreas = () => api.get<List<ForestArea>>('/api/v1/disasters/forest/my-areas');
export const recordPatrol = (body: ForestPatrolInput) => api.post<ForestPatrol>('/api/v1/disasters/forest/patrols', body);
export const reportFirePoint = (body: ForestFirePointInput) => api.post<ForestFirePoint>('/api/v1/disasters/forest/fire-points', body);

export const fireUseForm = () => api.get<FireUseForm>('/api/public/fire-use/form');
export const applyFireUse = (body: FireUseInput) => api.post<FireUseReceipt>('/api/public/fire-use', body);
export const trackFireUse = (code: string) => api.get<FireUseTracking>(`/api/public/fire-use/${encodeURIComponent(code)}`);

/** 森林火险等级 colours (GB/T 36743: 一级绿 … 五级红); text colours that keep contrast. */
export const LEVEL_COLOURS: Record<string, string> = { green: '#2e7d32', blue: '#1565c0', yellow: '#f9a825', orange: '#c2410c', red: '#c62828', grey: '#909399' };
export const LEVEL_NAMES = ['', '一级（低）', '二级（较低）', '三级（较高）', '四级（高）', '五级（极高）'];
export const colourOf = (level?: number | null) => LEVEL_COLOURS[['grey', 'green', 'blue', 'yellow', 'orange', 'red'][level ?? 0] ?? 'grey'];
export const STATUS_TAGS: Record<string, 'info' | 'success' | 'danger' | 'warning'> = { pending: 'info', approved: 'success', refused: 'danger', suspended: 'warning' };
