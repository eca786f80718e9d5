// 应急格、安监格, 巡查任务 and 我的网格: every call the overlay pages make, with the API's types.
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type Overlay = Schemas['Overlay'];
export type OverlayInput = Schemas['OverlayInput'];
export type MemberCandidate = Schemas['MemberCandidate'];
export type GridRef = Schemas['GridRef'];
export type PatrolTask = Schemas['PatrolTask'];
export type PatrolTaskInput = Schemas['PatrolTaskInput'];
export type MyGrids = Schemas['MyGrids'];

export const listOverlays = (params: { kind?: string; street?: string; active?: boolean } = {}) =>
  api.get<List<Overlay>>(`/api/v1/grid/overlays${qs(params)}`);
export const createOverlay = (body: OverlayInput) => api.post<Overlay>('/api/v1/grid/overlays', body);
export const updateOverlay = (id: string, body: OverlayInput) => api.put<Overlay>(`/api/v1/grid/overlays/${id}`, body);
export const importOverlays = (fc: unknown) => api.post<List<Overlay>>('/api/v1/grid/overlays/import', fc);
export const overlayCandidates = (id: string) => api.get<List<MemberCandidate>>(`/api/v1/grid/overlays/${id}/candidates`);
export const addMember = (id: string, userId: string) => api.post<Overlay>(`/api/v1/grid/overlays/${id}/members`, { user_id: userId });
export const removeMember = (id: string, userId: string) => api.del<Overlay>(`/api/v1/grid/overlays/${id}/members/${userId}`);
export const locate = (lon: number, lat: number) => api.get<List<GridRef>>(`/api/v1/grid/locate${qs({ lon, lat })}`);

export const listPatrolTasks = (params: { mine?: boolean; assignee?: string; grid_code?: string } = {}) =>
  api.get<List<PatrolTask>>(`/api/v1/grid/patrol-tasks${qs(params)}`);
export const createPatrolTask = (body: PatrolTaskInput) => api.post<PatrolTask>('/api/v1/grid/patrol-tasks', body);
export type TrackPoint = { lon: number; lat: number; t: number };
export const recordTrack = (id: string, points: TrackPoint[]) => api.post<PatrolTask>(`/api/v1/grid/patrol-tasks/${id}/track`, { points });
export const finishTask = (id: string, points: TrackPoint[] = []) => api.post<PatrolTask>(`/api/v1/grid/patrol-tasks/${id}/finish`, { points });

export const myGrids = () => api.get<MyGrids>('/api/v1/grid/mine');

/** Colours by grid kind (the map and the tags). */
export const KIND_COLOURS: Record<string, string> = { comprehensive: '#1f5fa8', emergency: '#c62828', safety: '#b35400' };
export const KIND_LABELS: Record<string, string> = { comprehensive: '综合网格', emergency: '应急格', safety: '安监格' };
export const TASK_TAGS: Record<string, 'info' | 'warning' | 'success' | 'danger'> = { pending: 'info', in_progress: 'warning', done: 'success', overdue: 'danger' };

/** GeoJSON features of grids with a boundary, their kind and name as properties. */
export function gridFeatures(grids: { kind: string; code: string; name: string; boundary?: unknown }[]): GeoJSON.Feature[] {
  return grids.filter((g) => g.boundary && typeof g.boundary === 'object').map((g) => ({
    type: 'Feature', geometry: g.boundary as GeoJSON.Geometry,
    properties: { kind: g.kind, code: g.code, name: g.name, colour: KIND_COLOURS[g.kind] ?? '#555' },
  }));
}
