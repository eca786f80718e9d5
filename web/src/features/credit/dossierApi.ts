// 一企一档, 许可证照, 标准化 and 关键岗位人员 (GET /api/v1/credit/dossiers/{id}, with /xlsx and /pdf;
// the licences' expiry list and the proposals waiting for the department).
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type Dossier = Schemas['CreditDossier'];
export type Licence = Schemas['Licence'];
export type CreditProposal = Schemas['CreditProposal'];
export type KeyPerson = Schemas['KeyPerson'];
export type Submission = Schemas['Submission'];
export type LicenceInput = Schemas['LicenceInput'];
export type KeyPersonInput = Schemas['KeyPersonInput'];
export type StandardisationInput = Schemas['StandardisationInput'];

export const LICENCE_KINDS: { value: string; label: string }[] = [
  { value: 'safety_production', label: '安全生产许可证' },
  { value: 'hazchem_operation', label: '危险化学品经营许可证' },
  { value: 'hazchem_use', label: '危险化学品使用许可证' },
  { value: 'hazchem_registration', label: '危险化学品登记证' },
  { value: 'fireworks_operation', label: '烟花爆竹经营许可证' },
  { value: 'non_coal_mine', label: '非煤矿山安全生产许可证' },
  { value: 'other', label: '其他许可证照' },
];

export const POSTS: { value: string; label: string }[] = [
  { value: 'principal', label: '主要负责人' },
  { value: 'safety_director', label: '安全总监' },
  { value: 'safety_manager', label: '安全管理人员' },
  { value: 'registered_engineer', label: '注册安全工程师' },
  { value: 'special_operator', label: '特种作业人员' },
];

/** The tag type of an expiry status: expired red, 30 days orange, 90 days yellow. */
export function expiryTag(expiry: string | undefined | null): 'danger' | 'warning' | 'primary' | 'success' | 'info' {
  switch (expiry) {
    case 'expired': return 'danger';
    case 'within_30': return 'warning';
    case 'within_90': return 'primary';
    case 'valid': return 'success';
    default: return 'info';
  }
}

export const dossierOf = (id: string) => api.get<Dossier>(`/api/v1/credit/dossiers/${encodeURIComponent(id)}`);
export const licences = (expiry: string) => api.get<List<Licence>>(`/api/v1/credit/licences${qs({ expiry })}`);
export const proposals = () => api.get<List<CreditProposal>>('/api/v1/credit/proposals');
export const decide = (id: string, action: 'confirm' | 'reject', reason?: string) =>
  api.post<CreditProposal>(`/api/v1/credit/proposals/${encodeURIComponent(id)}/decision`, { action, reason });
export const addLicence = (enterprise: string, body: LicenceInput) =>
  api.post<Submission>(`/api/v1/credit/enterprises/${encodeURIComponent(enterprise)}/licences`, body);
export const changeLicence = (id: string, body: LicenceInput) =>
  api.put<Submission>(`/api/v1/credit/licences/${encodeURIComponent(id)}`, body);
export const setStandardisation = (enterprise: string, body: StandardisationInput) =>
  api.put<Submission>(`/api/v1/credit/enterprises/${encodeURIComponent(enterprise)}/standardisation`, body);
export const addKeyPerson = (enterprise: string, body: KeyPersonInput) =>
  api.post<KeyPerson>(`/api/v1/credit/enterprises/${encodeURIComponent(enterprise)}/key-people`, body);
export const removeKeyPerson = (enterprise: string, id: string) =>
  api.del<void>(`/api/v1/credit/enterprises/${encodeURIComponent(enterprise)}/key-people/${encodeURIComponent(id)}`);
