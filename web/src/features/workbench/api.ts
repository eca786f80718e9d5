// 工作台 and 大屏: the caller's 待办, figures, and the district's situation now.
import { api, type Schemas } from '../../kernel/http';

export type Workbench = Schemas['Workbench'];
export type TodoGroup = Schemas['TodoGroup'];
export type TodoItem = Schemas['TodoItem'];
export type Screen = Schemas['Screen'];

export const getWorkbench = () => api.get<Workbench>('/api/v1/workbench');
export const getScreen = () => api.get<Screen>('/api/v1/screen');
