// 每日安全承诺: the enterprise's daily commitment and the departments' 承诺公告板
// (/api/v1/credit/commitments*).
import { api, qs, type List } from '../../kernel/http';

export interface SpecialWork { kind: string; label: string; count: number }
export interface Commitment {
  id: string; enterprise_id: string; enterprise_name: string; day: string; submitted_ms: number; late: boolean;
  units_running: number; units_stopped: number; units_overhaul: number;
  major_hazard_status?: string | null; major_hazard_status_label?: string | null; major_hazard_note?: string | null;
  special_works: SpecialWork[]; duty_person: string; duty_phone?: string | null; principal_name: string;
  note?: string | null; submitted_by_name: string;
}
export interface CommitmentInput {
  units_running: number; units_stopped: number; units_overhaul: number;
  major_hazard_status?: string | null; major_hazard_note?: string | null;
  special_works: { kind: string; count: number }[];
  duty_person: string; duty_phone?: string | null; principal_name: string; note?: string | null;
}
export interface BoardRow {
  enterprise_id: string; enterprise_name: string; street_code: string; street_name?: string | null;
  status: string; status_label: string; commitment_id?: string | null; submitted_ms?: number | null;
}
export interface Board { day: string; required: number; submitted: number; missing: number; flagged: number; items: BoardRow[] }

/** The 8 special works (GB 30871), in the server's order. */
export const SPECIAL_WORKS = [
  { kind: 'hot_work', label: '动火作业' }, { kind: 'confined_space', label: '受限空间作业' },
  { kind: 'height', label: '高处作业' }, { kind: 'lifting', label: '吊装作业' },
  { kind: 'temporary_power', label: '临时用电作业' }, { kind: 'excavation', label: '动土作业' },
  { kind: 'road_break', label: '断路作业' }, { kind: 'blind_plate', label: '盲板抽堵作业' },
];

/** Board status → tag type and colour (green submitted, orange late/pending, red missing). */
export const STATUS_TAGS: Record<string, 'success' | 'warning' | 'danger' | 'info'> = {
  submitted: 'success', late: 'warning', pending: 'info', flagged: 'danger', escalated: 'danger',
};
export const STATUS_OPTIONS = [
  { value: 'submitted', label: '已承诺' }, { value: 'late', label: '逾期补交' }, { value: 'pending', label: '待提交' },
  { value: 'flagged', label: '未承诺' }, { value: 'escalated', label: '未承诺（已督办）' },
];

export const board = (p: { day?: string; street?: string; page?: number; page_size?: number }) =>
  api.get<Board>(`/api/v1/credit/commitments/board${qs(p)}`);
export const listCommitments = (p: { enterprise_id?: string; day?: string; page_size?: number }) =>
  api.get<List<Commitment>>(`/api/v1/credit/commitments${qs(p)}`);
export const getCommitment = (id: string) => api.get<Commitment>(`/api/v1/credit/commitments/${encodeURIComponent(id)}`);
export const submitCommitment = (b: CommitmentInput) => api.post<Commitment>('/api/v1/credit/commitments', b);
