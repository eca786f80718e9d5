// 联合检查: the calls of the 联合检查 tab (docs/enforcement.md): arranging a joint inspection of
// several departments and the 联检建议 (separate tasks of one enterprise in one month).
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type JointTask = Schemas['JointTask'];
export type JointTaskInput = Schemas['JointTaskInput'];
export type MergeSuggestion = Schemas['MergeSuggestion'];

export const createJointTask = (body: JointTaskInput) => api.post<JointTask>('/api/v1/enforcement/joint-tasks', body);
export const jointSuggestions = (year?: number) => api.get<List<MergeSuggestion>>(`/api/v1/enforcement/joint-suggestions${qs({ year })}`);
/** Who arranges joint inspections: the bureau's leaders and administrators (over several departments). */
export const mayArrangeJoint = (role: string | undefined) => ['admin', 'commander'].includes(role ?? '');
