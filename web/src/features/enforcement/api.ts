// 执法监管: every call the enforcement pages make, with the types from the API document
// (docs/enforcement.md): the 执法事项目录, the 执法检查人员名录库 with 回避, the 双随机 draws with
// 复核 and 一公开, the inspection tasks, and the public page of published draws.
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type Item = Schemas['Item'];
export type ItemInput = Schemas['ItemInput'];
export type Inspector = Schemas['Inspector'];
export type InspectorInput = Schemas['InspectorInput'];
export type ConflictInput = Schemas['ConflictInput'];
export type Draw = Schemas['Draw'];
export type DrawInput = Schemas['DrawInput'];
export type DrawnPick = Schemas['DrawnPick'];
export type TeamMember = Schemas['TeamMember'];
export type Verification = Schemas['Verification'];
export type Task = Schemas['Task'];

/** 执法方式 (core::enforcement::METHODS; the lists answer `method_label`). */
export const METHODS = [
  { value: 'random', label: '双随机抽查' },
  { value: 'key', label: '重点检查' },
  { value: 'special', label: '专项检查' },
  { value: 'complaint', label: '举报核查' },
];

/** How a ratio's quota is rounded (core::enforcement::draw::Rounding). */
export const ROUNDINGS = [
  { value: 'ceil', label: '向上取整' },
  { value: 'half_up', label: '四舍五入' },
  { value: 'floor', label: '向下取整' },
];

/** The states of an inspection task (core::enforcement::TASK_STATUSES). */
export const TASK_STATUSES = [
  { value: 'assigned', label: '待检查' },
  { value: 'in_progress', label: '检查中' },
  { value: 'done', label: '已完成' },
  { value: 'cancelled', label: '已取消' },
];

export const listItems = (department?: string) => api.get<List<Item>>(`/api/v1/enforcement/items${qs({ department })}`);
export const createItem = (body: ItemInput) => api.post<Item>('/api/v1/enforcement/items', body);

export const listInspectors = (department?: string) => api.get<List<Inspector>>(`/api/v1/enforcement/inspectors${qs({ department })}`);
/** Enters an inspector in the pool, or renews their 执法证 when they are in it. */
export const registerInspector = (body: InspectorInput) => api.post<Inspector>('/api/v1/enforcement/inspectors', body);
/** The people a manager may enter in their departments' pools (执法人员 and department staff). */
export const listPeople = () => api.get<List<Schemas['PoolPerson']>>('/api/v1/enforcement/people');
export const addConflict = (userId: string, body: ConflictInput) =>
  api.post<Inspector>(`/api/v1/enforcement/inspectors/${encodeURIComponent(userId)}/conflicts`, body);

export const listDraws = (params: { page?: number; page_size?: number }) => api.get<List<Draw>>(`/api/v1/enforcement/draws${qs(params)}`);
export const getDraw = (id: string) => api.get<Draw>(`/api/v1/enforcement/draws/${encodeURIComponent(id)}`);
export const runDraw = (body: DrawInput) => api.post<Draw>('/api/v1/enforcement/draws', body);
export const verifyDraw = (id: string) => api.post<Verification>(`/api/v1/enforcement/draws/${encodeURIComponent(id)}/verify`);
export const publishDraw = (id: string) => api.post<Draw>(`/api/v1/enforcement/draws/${encodeURIComponent(id)}/publish`);

export const listTasks = (params: { draw?: string; status?: string; year?: number; page?: number; page_size?: number }) =>
  api.get<List<Task>>(`/api/v1/enforcement/tasks${qs(params)}`);

/** 一公开 (no session): the published draws, one, and anyone's 复核. */
export const publicDraws = (params: { page?: number; page_size?: number }) => api.get<List<Draw>>(`/api/public/enforcement/draws${qs(params)}`);
export const publicVerify = (id: string) => api.post<Verification>(`/api/public/enforcement/draws/${encodeURIComponent(id)}/verify`);

/** May keep the catalogue and the pools and run draws (core::enforcement::may_manage); 执法人员 read. */
export const mayManage = (role: string | undefined) => ['admin', 'commander', 'department_staff'].includes(role ?? '');

export type InspectionPlan = Schemas['InspectionPlan'];
export type InspectionPlanInput = Schemas['InspectionPlanInput'];
/** 年度检查计划: drafted by a department, approved or sent back by the bureau's leader. */
export const listPlans = (year?: number) => api.get<List<InspectionPlan>>(`/api/v1/enforcement/plans${qs({ year })}`);
export const getPlan = (id: string) => api.get<InspectionPlan>(`/api/v1/enforcement/plans/${encodeURIComponent(id)}`);
export const draftPlan = (body: InspectionPlanInput) => api.post<InspectionPlan>('/api/v1/enforcement/plans', body);
export const decidePlan = (id: string, approve: boolean, opinion?: string) =>
  api.post<InspectionPlan>(`/api/v1/enforcement/plans/${encodeURIComponent(id)}/decision`, { approve, opinion: opinion || null });
/** Approves annual plans (core::enforcement::plan::may_approve_plan). */
export const mayApprovePlan = (role: string | undefined) => role === 'commander';
export type DocumentKind = Schemas['DocumentKind'];
export type EnforcementDocument = Schemas['Document'];
export type DocumentInput = Schemas['DocumentInput'];

/** 执法文书 (docs/enforcement.md "执法文书"): the kinds with their fields, issue, list, correct. */
export const documentKinds = () => api.get<DocumentKind[]>('/api/v1/enforcement/document-kinds');
export const listDocuments = (params: { kind?: string; subject_id?: string; latest?: boolean; page?: number; page_size?: number }) =>
  api.get<List<EnforcementDocument>>(`/api/v1/enforcement/documents${qs(params)}`);
export const issueDocument = (body: DocumentInput) => api.post<EnforcementDocument>('/api/v1/enforcement/documents', body);
export const correctDocument = (id: string, fields: Record<string, string>) =>
  api.post<EnforcementDocument>(`/api/v1/enforcement/documents/${encodeURIComponent(id)}/versions`, { fields });
/** The stored PDF, as issued (the browser shows and prints it). */
export const documentPdfUrl = (id: string) => `/api/v1/enforcement/documents/${encodeURIComponent(id)}/pdf`;

