// 安责险: policies, claims, 事故预防服务 and coverage (/api/v1/credit/insurance/*, /api/v1/credit/insurers).
import { api, qs, type List } from '../../kernel/http';

export interface Policy {
  id: string; enterprise_id: string; enterprise_name: string; insurer_id: string; insurer_name: string;
  number: string; starts_day: string; ends_day: string; insured_persons: number;
  premium: string; premium_fen: number; cover_per_person: string; cover_fen: number;
  status: string; standing: string; standing_label: string; created_by_name: string; created_ms: number; updated_ms: number;
}
export interface PolicyInput {
  enterprise_id?: string | null; enterprise_uscc?: string | null; insurer_id?: string | null;
  number: string; starts_day: string; ends_day: string; insured_persons: number;
  premium: string; cover_per_person: string; status?: string | null;
}
export interface Insurer { id: string; name: string; credit_code: string; active: boolean; created_ms: number }
export interface Claim {
  id: string; policy_id: string; policy_number: string; enterprise_id: string; enterprise_name: string;
  insurer_name: string; incident_id: string; incident_code: string; incident_title: string; incident_occurred_ms: number;
  incident_deaths: number; incident_injuries: number; claimed: string; paid?: string | null; status: string; status_label: string;
  reason?: string | null; description?: string | null; reported_by_name: string; reported_ms: number;
}
export interface Service {
  id: string; insurer_name: string; enterprise_id: string; enterprise_name: string; day: string; kind: string;
  kind_label: string; findings: string; attachment_ids: string[]; recorded_by_name: string; created_ms: number;
}
export interface CoverageLine { key: string; label: string; required: number; insured: number; rate: number }
export interface Uninsured { enterprise_id: string; name: string; uscc: string; street_code: string; street_name: string; industries: string[] }
export interface CoverageReport { total: CoverageLine; by_street: CoverageLine[]; by_industry: CoverageLine[]; uninsured: Uninsured[] }

export const SERVICE_KINDS = [
  { value: 'risk_assessment', label: '风险评估' }, { value: 'hazard_check', label: '隐患排查' },
  { value: 'training', label: '安全培训' }, { value: 'drill', label: '应急演练' },
  { value: 'consulting', label: '安全咨询' }, { value: 'other', label: '其他' },
];
export const STANDING_COLOURS: Record<string, string> = {
  in_force: 'success', expiring: 'warning', expired: 'danger', not_started: 'info', cancelled: 'info',
};

export const listPolicies = (p: { q?: string; standing?: string; enterprise_id?: string }) => api.get<List<Policy>>(`/api/v1/credit/insurance/policies${qs(p)}`);
export const createPolicy = (b: PolicyInput) => api.post<Policy>('/api/v1/credit/insurance/policies', b);
export const updatePolicy = (id: string, b: PolicyInput) => api.put<Policy>(`/api/v1/credit/insurance/policies/${encodeURIComponent(id)}`, b);
export const listInsurers = () => api.get<List<Insurer>>('/api/v1/credit/insurers');
export const listClaims = () => api.get<List<Claim>>('/api/v1/credit/insurance/claims');
export const claimStep = (id: string, b: { action: string; paid?: string; reason?: string }) => api.post<Claim>(`/api/v1/credit/insurance/claims/${encodeURIComponent(id)}/steps`, b);
export const listServices = () => api.get<List<Service>>('/api/v1/credit/insurance/services');
export const recordService = (b: { enterprise_id: string; day: string; kind: string; findings: string }) => api.post<Service>('/api/v1/credit/insurance/services', b);
export const policyholders = () => api.get<List<{ enterprise_id: string; enterprise_name: string }>>('/api/v1/credit/insurance/policyholders');
export const coverage = () => api.get<CoverageReport>('/api/v1/credit/insurance/coverage');
export const notifyUninsured = (ids?: string[]) => api.post<{ enterprises: number; people: number }>('/api/v1/credit/insurance/coverage/notify', { enterprise_ids: ids ?? null });
