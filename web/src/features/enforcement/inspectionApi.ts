// 现场检查: the calls of the phone inspection page (docs/enforcement.md): a task's dossier and
// checklist, recording the inspection (findings become hazards), signatures, and the records.
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type Dossier = Schemas['Dossier'];
export type CheckItem = Schemas['CheckItem'];
export type InspectionInput = Schemas['InspectionInput'];
export type FindingInput = Schemas['FindingInput'];
export type SignatureInput = Schemas['SignatureInput'];
export type InspectionDetail = Schemas['InspectionDetail'];
export type InspectionRecord = Schemas['InspectionRecord'];
export type InspectionFinding = Schemas['InspectionFinding'];

/** Results of a checklist line (core::enforcement::inspection::CHECK_RESULTS). */
export const CHECK_RESULTS = [
  { value: 'pass', label: '符合' },
  { value: 'fail', label: '不符合' },
  { value: 'na', label: '不适用' },
];

/** 隐患类别 (core::prevention::hazard::CATEGORIES). */
export const HAZARD_CATEGORIES = [
  { value: 'management', label: '安全管理' },
  { value: 'equipment', label: '设备设施' },
  { value: 'site', label: '作业场所' },
  { value: 'behaviour', label: '人员行为' },
  { value: 'fire', label: '消防安全' },
  { value: 'electrical', label: '电气安全' },
  { value: 'hazchem', label: '危险化学品' },
  { value: 'special_equipment', label: '特种设备' },
  { value: 'other', label: '其他' },
];

const task = (id: string) => `/api/v1/enforcement/tasks/${encodeURIComponent(id)}`;
export const getDossier = (id: string) => api.get<Dossier>(`${task(id)}/dossier`);
export const getChecklist = (id: string) => api.get<List<CheckItem>>(`${task(id)}/checklist`);
export const getInspection = (id: string) => api.get<InspectionDetail>(`${task(id)}/inspection`);
export const recordInspection = (id: string, body: InspectionInput) => api.post<InspectionDetail>(`${task(id)}/inspection`, body);
export const signInspection = (id: string, body: SignatureInput) => api.post<InspectionDetail>(`${task(id)}/signatures`, body);
export const listInspections = (params: { enterprise?: string; page?: number; page_size?: number }) =>
  api.get<List<InspectionRecord>>(`/api/v1/enforcement/inspections${qs(params)}`);
