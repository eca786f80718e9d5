// 双重预防: risk points and the four-colour map, hazards (排查治理, 挂牌督办) and their statistics,
// major hazard installations, the district's rules and criteria, and the public hazard report.
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type RiskPoint = Schemas['RiskPoint'];
export type RiskAssessment = Schemas['RiskAssessment'];
export type RegionRisk = Schemas['RegionRisk'];
export type Hazard = Schemas['Hazard'];
export type HazardDetail = Schemas['HazardDetail'];
export type HazardInput = Schemas['HazardInput'];
export type TransitionInput = Schemas['TransitionInput'];
export type Listing = Schemas['Listing'];
export type Dashboard = Schemas['Dashboard'];
export type HazardReport = Schemas['HazardReport'];
export type HazardReportRow = Schemas['HazardReportRow'];
export type CriterionRow = Schemas['CriterionRow'];
export type RulesVersion = Schemas['RulesVersion'];
export type DistrictRules = Schemas['DistrictRules'];
export type MajorHazard = Schemas['MajorHazard'];
export type UnitChemical = Schemas['UnitChemical'];
export type PublicReportInput = Schemas['PublicReportInput'];
export type ReportReceipt = Schemas['ReportReceipt'];
export type Tracking = Schemas['Tracking'];
export type Attachment = Schemas['Attachment'];

/** A code and its label, as the score tables and code lists give them. */
export interface Choice { value: string; label: string }
/** GET /api/v1/risk/meta (the document gives this answer no schema of its own). */
export interface RiskMeta {
  lec: Record<string, Choice[]>; control_levels: Choice[]; accident_types: string[]; public_kinds: Choice[];
  levels: (Choice & { colour: string })[]; hazard_categories: Choice[]; hazard_sources: Choice[]; plan_items: Choice[];
}
/** POST /api/v1/major-hazards/identify (no schema in the document). */
export interface Identification { s_value: string; is_major: boolean; alpha: string; r_value: string | null; level: number | null; level_label: string | null }
/** GET /api/v1/major-hazards/tables (no schema in the document). */
export interface TableChemical { no: number; name: string; aliases: string[]; critical_t: string; beta: string | null }
/** GET /api/public/regions (no schema in the document). */
export interface PublicRegion { code: string; name: string; parent_code: string | null }

// Risk points (风险分级管控) and the four-colour map.
export const riskMeta = () => api.get<RiskMeta>('/api/v1/risk/meta');
export const listRiskPoints = (params: Record<string, unknown>) => api.get<List<RiskPoint>>(`/api/v1/risk-points${qs(params)}`);
export const createRiskPoint = (body: unknown) => api.post<RiskPoint>('/api/v1/risk-points', body);
export const updateRiskPoint = (id: string, body: unknown) => api.put<RiskPoint>(`/api/v1/risk-points/${id}`, body);
export const assessRisk = (body: { region_code: string; assessment: unknown }) => api.post<RiskAssessment>('/api/v1/risk/assess', body);
export const regionRisks = (parent: string) => api.get<RegionRisk[]>(`/api/v1/risk/regions${qs({ parent })}`);

// Hazards (隐患排查治理).
export const listHazards = (params: URLSearchParams) => api.get<List<Hazard>>(`/api/v1/hazards?${params}`);
export const hazardExportUrl = (params: URLSearchParams) => `/api/v1/hazards/export?${params}`;
export const getHazard = (id: string) => api.get<HazardDetail>(`/api/v1/hazards/${id}`);
export const reportHazard = (body: HazardInput) => api.post<HazardDetail>('/api/v1/hazards', body);
export const hazardAction = (id: string, action: string, body: TransitionInput) => api.post<HazardDetail>(`/api/v1/hazards/${id}/actions/${action}`, body);
export const hazardDashboard = (params: Record<string, unknown> = {}) => api.get<Dashboard>(`/api/v1/hazards/dashboard${qs(params)}`);
export const hazardReport = (params: Record<string, unknown>) => api.get<HazardReport>(`/api/v1/hazards/report${qs(params)}`);
export const hazardStatsUrl = (params: Record<string, unknown>) => `/api/v1/hazards/stats${qs(params)}`;

// Rules and criteria.
export const currentRules = () => api.get<RulesVersion>('/api/v1/rules');
export const saveRules = (body: { region: string; rules: DistrictRules; note: string | null }) => api.put<RulesVersion>('/api/v1/rules', body);
export const listCriteria = () => api.get<CriterionRow[]>('/api/v1/hazard-criteria');
export const updateCriterion = (code: string, body: { text: string; active: boolean }) => api.put<CriterionRow>(`/api/v1/hazard-criteria/${encodeURIComponent(code)}`, body);

// Major hazard installations (重大危险源).
export const listMajorHazards = (params: Record<string, unknown>) => api.get<List<MajorHazard>>(`/api/v1/major-hazards${qs(params)}`);
export const identifyMajorHazard = (body: { chemicals: UnitChemical[]; population_500m: number }) => api.post<Identification>('/api/v1/major-hazards/identify', body);
export const createMajorHazard = (body: Record<string, unknown>) => api.post<MajorHazard>('/api/v1/major-hazards', body);
export const majorHazardTables = () => api.get<{ chemicals: TableChemical[] }>('/api/v1/major-hazards/tables');

// The public hazard report (群众举报), without a session.
export const publicRegions = () => api.get<{ items: PublicRegion[] }>('/api/public/regions');
export const uploadPublicAttachment = (file: File) => api.upload<Attachment>(`/api/public/attachments?filename=${encodeURIComponent(file.name)}`, file);
export const submitPublicReport = (body: PublicReportInput) => api.post<ReportReceipt>('/api/public/hazard-reports', body);
export const trackPublicReport = (code: string) => api.get<Tracking>(`/api/public/hazard-reports/${encodeURIComponent(code)}`);
