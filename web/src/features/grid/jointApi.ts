// 大联动: the calls of the event page's 联动任务 section and the 联动任务 list (docs/grid/joint.md).
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type GridJointTask = Schemas['GridJointTask'];
export type GridJointPart = Schemas['GridJointPart'];
export type GridJointPartInput = Schemas['GridJointPartInput'];

const joint = (id: string) => `/api/v1/grid/events/${encodeURIComponent(id)}/joint`;
const part = (id: string, partId: string) => `${joint(id)}/parts/${encodeURIComponent(partId)}`;

export const getJoint = (id: string) => api.get<GridJointTask>(joint(id));
export const startJoint = (id: string, parts: GridJointPartInput[]) => api.post<GridJointTask>(joint(id), { parts });
export const partDone = (id: string, partId: string, note: string, attachments: string[] = []) =>
  api.post<GridJointTask>(`${part(id, partId)}/done`, { note, attachments });
export const waivePart = (id: string, partId: string, reason: string) =>
  api.post<GridJointTask>(`${part(id, partId)}/waive`, { reason });
export const listJoint = (params: { open?: boolean; mine?: boolean; page?: number; page_size?: number }) =>
  api.get<List<GridJointTask>>(`/api/v1/grid/joint${qs(params)}`);

/** Tag colours of a part's state. */
export const PART_TAG: Record<string, 'warning' | 'success' | 'info'> = { open: 'warning', done: 'success', waived: 'info' };
