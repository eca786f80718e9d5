// 应急响应: incidents (接报, 续报, 上报, 结束), the command view (plan response, tasks, dispatches,
// the investigation), incident statistics, plans and the duty room.
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type Incident = Schemas['Incident'];
export type IncidentDetail = Schemas['IncidentDetail'];
export type IncidentMeta = Schemas['IncidentMeta'];
export type IncidentAssessment = Schemas['IncidentAssessment'];
export type IncidentStats = Schemas['IncidentStats'];
export type Casualties = Schemas['Casualties'];
export type Labelled = Schemas['Labelled'];
export type Subtype = Schemas['Subtype'];
export type PlanResponse = Schemas['PlanResponse'];
export type IncidentTask = Schemas['IncidentTask'];
export type Suggestion = Schemas['Suggestion'];
export type Dispatch = Schemas['Dispatch'];
export type Hop = Schemas['Hop'];
export type Investigation = Schemas['Investigation'];
export type Plan = Schemas['Plan'];
export type PlanLevel = Schemas['PlanLevel'];
export type PlanTask = Schemas['PlanTask'];
export type Shift = Schemas['Shift'];
export type LogEntry = Schemas['LogEntry'];
export type DailyReport = Schemas['DailyReport'];

// Incidents.
export const getIncidentMeta = () => api.get<IncidentMeta>('/api/v1/incidents/meta');
export const listIncidents = (params: Record<string, unknown>) => api.get<List<Incident>>(`/api/v1/incidents${qs(params)}`);
export const assessIncident = (body: unknown) => api.post<IncidentAssessment>('/api/v1/incidents/assess', body);
export const createIncident = (body: unknown) => api.post<IncidentDetail>('/api/v1/incidents', body);
export const getIncident = (id: string) => api.get<IncidentDetail>(`/api/v1/incidents/${id}`);
export const reportIncident = (id: string, body: unknown) => api.post<IncidentDetail>(`/api/v1/incidents/${id}/reports`, body);
export const escalateIncident = (id: string, level: unknown) => api.post<IncidentDetail>(`/api/v1/incidents/${id}/escalations`, { level });
export const closeIncident = (id: string, body: Record<string, string>) => api.post<IncidentDetail>(`/api/v1/incidents/${id}/close`, body);
export const incidentStats = (params: Record<string, unknown>) => api.get<IncidentStats>(`/api/v1/incidents/stats${qs(params)}`);

// The plan response and its tasks.
export const incidentResponse = (id: string) => api.get<PlanResponse>(`/api/v1/incidents/${id}/response`);
export const decideResponse = (id: string, body: unknown) => api.post<PlanResponse>(`/api/v1/incidents/${id}/response`, body);
export const updateTask = (id: string, taskId: string, body: { status: string }) => api.post<PlanResponse>(`/api/v1/incidents/${id}/tasks/${taskId}`, body);
export const planSuggestions = (id: string) => api.get<Suggestion[]>(`/api/v1/incidents/${id}/plan-suggestions`);

// Dispatches.
export const listDispatches = (id: string) => api.get<Dispatch[]>(`/api/v1/incidents/${id}/dispatches`);
export const dispatchResource = (id: string, body: { resource_type: string; resource_id: string }) => api.post<Dispatch[]>(`/api/v1/incidents/${id}/dispatches`, body);
export const returnDispatch = (id: string, dispatchId: string) => api.post<Dispatch[]>(`/api/v1/incidents/${id}/dispatches/${dispatchId}/return`, {});

// The investigation (调查处理) and its follow-up actions.
export const getInvestigation = (id: string) => api.get<Investigation | null>(`/api/v1/incidents/${id}/investigation`);
export const investigationAction = (id: string, body: Record<string, unknown>) => api.post<Investigation>(`/api/v1/incidents/${id}/investigation`, body);
export const addFollowup = (id: string, body: unknown) => api.post<Investigation>(`/api/v1/incidents/${id}/followups`, body);
export const followupDone = (id: string, followupId: string) => api.post<Investigation>(`/api/v1/incidents/${id}/followups/${followupId}/done`, {});

// Plans.
export const listPlans = (params: Record<string, unknown>) => api.get<List<Plan>>(`/api/v1/plans${qs(params)}`);
export const getPlan = (id: string) => api.get<Plan>(`/api/v1/plans/${id}`);
export const createPlan = (body: unknown) => api.post<Plan>('/api/v1/plans', body);

// The duty room.
export const listShifts = (params: { from: string; to: string }) => api.get<Shift[]>(`/api/v1/duty/shifts${qs(params)}`);
export const saveShift = (body: unknown) => api.put<Shift>('/api/v1/duty/shifts', body);
export const dutyLog = (day: string) => api.get<LogEntry[]>(`/api/v1/duty/log${qs({ day })}`);
export const addLogEntry = (body: unknown) => api.post<LogEntry>('/api/v1/duty/log', body);
export const dailyReport = (day: string) => api.get<DailyReport>(`/api/v1/duty/daily${qs({ day })}`);
