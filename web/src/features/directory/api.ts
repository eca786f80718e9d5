// 基础名录: regions, departments, users, enterprises, the caller's account and tokens, the audit log.
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type Region = Schemas['Region'];
export type Department = Schemas['Department'];
export type DepartmentInput = Schemas['DepartmentInput'];
export type User = Schemas['User'];
export type Me = Schemas['Me'];
export type Enterprise = Schemas['Enterprise'];
export type EnterpriseChange = Schemas['EnterpriseChange'];
export type ApiToken = Schemas['ApiToken'];
export type NewToken = Schemas['NewToken'];
export type AuditEntry = Schemas['AuditEntry'];
export type VerifyReport = Schemas['VerifyReport'];
/** A GeoJSON Polygon or MultiPolygon (the document leaves the boundary's shape open). */
export interface Geometry { type: string; coordinates: unknown }

// Sign-in and the caller's account.
export const login = (body: { username: string; password: string }) => api.post<Me>('/api/v1/auth/login', body);
export const logout = () => api.post<{ provider_logout_url: string | null }>('/api/v1/auth/logout');
export const changePassword = (body: { old_password: string; new_password: string }) => api.post<null>('/api/v1/auth/password', body);
export const listTokens = () => api.get<ApiToken[]>('/api/v1/tokens');
export const createToken = (name: string) => api.post<NewToken>('/api/v1/tokens', { name });
export const revokeToken = (id: string) => api.del<null>(`/api/v1/tokens/${id}`);

// Regions.
export const listRegions = (params: { roots?: boolean; parent?: string; level?: string; q?: string }) => api.get<List<Region>>(`/api/v1/regions${qs(params)}`);
export const getRegion = (code: string) => api.get<Region>(`/api/v1/regions/${code}`);
export const getRegionBoundary = (code: string) => api.get<Geometry | null>(`/api/v1/regions/${code}/boundary`);
export const createRegion = (body: { code: string; name: string; level: string; parent_code: string; boundary: unknown }) => api.post<Region>('/api/v1/regions', body);
export const updateRegion = (code: string, body: { name: string; boundary: unknown }) => api.put<Region>(`/api/v1/regions/${code}`, body);
export const deleteRegion = (code: string) => api.del<null>(`/api/v1/regions/${code}`);

// Departments.
export const listDepartments = () => api.get<List<Department>>('/api/v1/departments');
export const createDepartment = (body: DepartmentInput) => api.post<Department>('/api/v1/departments', body);
export const updateDepartment = (id: string, body: DepartmentInput) => api.put<Department>(`/api/v1/departments/${id}`, body);

// Users.
export interface UserForm { username: string; display_name: string; phone: string; role: string; region_code: string; department_id: string; enterprise_id: string; insurer_id?: string; active: boolean }
export const listUsers = (params: Record<string, unknown>) => api.get<List<User>>(`/api/v1/users${qs(params)}`);
export const createUser = (body: UserForm & { password: string }) => api.post<User>('/api/v1/users', body);
export const updateUser = (id: string, body: UserForm) => api.put<User>(`/api/v1/users/${id}`, body);
export const resetPassword = (id: string, newPassword: string) => api.post<null>(`/api/v1/users/${id}/password`, { new_password: newPassword });
/** 解除登录锁定 (the security administrator). */
export const unlockUser = (id: string) => api.post<null>(`/api/v1/users/${id}/unlock`, {});

// Enterprises.
export const listEnterprises = (params: Record<string, unknown>) => api.get<List<Enterprise>>(`/api/v1/enterprises${qs(params)}`);
export const getEnterprise = (id: string) => api.get<Enterprise>(`/api/v1/enterprises/${id}`);
export const createEnterprise = (body: unknown) => api.post<Enterprise>('/api/v1/enterprises', body);
export const updateEnterprise = (id: string, body: unknown) => api.put<Enterprise>(`/api/v1/enterprises/${id}`, body);
export const deleteEnterprise = (id: string) => api.del<null>(`/api/v1/enterprises/${id}`);
export const enterpriseChanges = (id: string) => api.get<EnterpriseChange[]>(`/api/v1/enterprises/${id}/changes`);
export const decideEnterpriseChange = (id: string, changeId: string, action: 'confirm' | 'reject') =>
  api.post<EnterpriseChange>(`/api/v1/enterprises/${id}/changes/${changeId}/actions`, { action });
export const enterpriseExportUrl = (params: Record<string, unknown>) => `/api/v1/enterprises/export${qs(params)}`;

// The audit log.
export const listAudit = (params: Record<string, unknown>) => api.get<List<AuditEntry>>(`/api/v1/audit${qs(params)}`);
export const verifyAudit = () => api.get<VerifyReport>('/api/v1/audit/verify');
