// 防汛与地灾 and 转移 (issue 23 items 6 and 7): the 三个责任人 of reservoirs, dikes, 山洪危险区 and
// 地灾隐患点, patrol logs, evacuation plans and orders, and 断禁停撤疏 orders.
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type DutyObject = Schemas['FloodDutyObject'];
export type DutyPersonInput = Schemas['FloodDutyPersonInput'];
export type PatrolLog = Schemas['FloodPatrolLog'];
export type PatrolInput = Schemas['FloodPatrolInput'];
export type PublicDutyObject = Schemas['PublicFloodDutyObject'];
export type EvacuationPlan = Schemas['EvacuationPlan'];
export type EvacuationPlanInput = Schemas['EvacuationPlanInput'];
export type EvacuationOrder = Schemas['EvacuationOrder'];
export type EvacuationTotals = Schemas['EvacuationTotals'];
export type DisasterOrder = Schemas['DisasterOrder'];

export const DUTIES: Record<string, string> = {
  administrative: '行政责任人',
  technical: '技术责任人',
  patrol: '巡查责任人',
  monitor: '群测群防员',
  area: '片区负责人',
};
/** The duties of a kind: three, and five for a 地灾隐患点. */
export function dutiesFor(kind: string): string[] {
  const all = Object.keys(DUTIES);
  return kind === 'geohazard' ? all : all.slice(0, 3);
}
export const DUTY_KINDS: Record<string, string> = { reservoir: '水库', dike: '堤防', flash_flood: '山洪危险区', geohazard: '地灾隐患点' };
export const PATROL_KINDS: Record<string, string> = { pre_season: '汛前检查', in_season: '汛中巡查', post_season: '汛后复查', mass_monitoring: '群测群防巡查' };
export const ORDER_KINDS: Record<string, string> = { road_closure: '断路', activity_ban: '禁止活动', suspension: '停工停课', withdrawal: '撤离', dispersal: '疏散' };

export const listDutyObjects = (p: { street?: string; kind?: string; incomplete?: boolean } = {}) =>
  api.get<List<DutyObject>>(`/api/v1/disasters/flood/objects${qs(p)}`);
export const saveDutyPersons = (id: string, persons: DutyPersonInput[]) =>
  api.put<DutyObject>(`/api/v1/disasters/flood/objects/${encodeURIComponent(id)}/persons`, { persons });
export const boardUrl = (id: string) => `/api/v1/disasters/flood/objects/${encodeURIComponent(id)}/board`;
export const publicDuty = (street?: string) => api.get<List<PublicDutyObject>>(`/api/public/flood-duty${qs({ street })}`);

export const listPatrols = (p: { object_id?: string; street?: string; abnormal?: boolean } = {}) =>
  api.get<List<PatrolLog>>(`/api/v1/disasters/flood/patrols${qs(p)}`);
export const filePatrol = (body: PatrolInput) => api.post<PatrolLog>('/api/v1/disasters/flood/patrols', body);

export const listPlans = () => api.get<List<EvacuationPlan>>('/api/v1/disasters/evacuation/plans');
export const getPlan = (id: string) => api.get<EvacuationPlan>(`/api/v1/disasters/evacuation/plans/${encodeURIComponent(id)}`);
export const createPlan = (body: EvacuationPlanInput) => api.post<EvacuationPlan>('/api/v1/disasters/evacuation/plans', body);
export const listEvacuations = () => api.get<List<EvacuationOrder>>('/api/v1/disasters/evacuation/orders');
export const issueEvacuation = (plan_id: string) => api.post<EvacuationOrder>('/api/v1/disasters/evacuation/orders', { plan_id });
export const answerEvacuation = (id: string, person_id: string, answer: string) =>
  api.post<EvacuationOrder>(`/api/v1/disasters/evacuation/orders/${encodeURIComponent(id)}/answers`, { person_id, answer });
export const checkIn = (id: string, person_id: string) =>
  api.post<EvacuationOrder>(`/api/v1/disasters/evacuation/orders/${encodeURIComponent(id)}/check-ins`, { person_id });
export const evacuationTotals = (processId?: string) => api.get<List<EvacuationTotals>>(`/api/v1/disasters/evacuation/totals${processId ? `?process_id=${encodeURIComponent(processId)}` : ''}`);

export const listDisasterOrders = () => api.get<List<DisasterOrder>>('/api/v1/disasters/orders');
export const carryOut = (id: string, carried_out_by: string) =>
  api.post<DisasterOrder>(`/api/v1/disasters/orders/${encodeURIComponent(id)}/carry-out`, { carried_out_by });

/** Shelters of the register, for a plan's destination. */
export const listShelterChoices = () =>
  api.get<List<{ id: string; name: string; capacity: number; occupancy: number }>>('/api/v1/shelters?page_size=200');
/** Recent incidents, for a 断禁停撤疏 order's link. */
export const listIncidentChoices = () => api.get<List<{ id: string; title: string }>>('/api/v1/incidents?page_size=50');
export const issueDisasterOrder = (body: Schemas['DisasterOrderInput']) => api.post<DisasterOrder>('/api/v1/disasters/orders', body);

/** A name list typed one person a line: 姓名 电话 [户]. */
export function parsePeople(text: string): { name: string; phone: string; household: string }[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const [name = '', phone = '', ...rest] = l.split(/[\s,，]+/);
    return { name, phone, household: rest.join(' ') };
  });
}
