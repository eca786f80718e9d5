// 严重失信主体名单 (应急管理部令第11号) and 信用公示: the API calls and their shapes
// (crates/server/src/routes/credit/listings.rs, listing_criteria.rs, disclosure.rs).
import { api, qs, type List } from '../../kernel/http';

export interface Subject { kind: string; name: string; code?: string | null; role?: string | null }
export interface Deadline { label: string; day: string; days_left: number; colour: string }
export interface Listing {
  id: string; enterprise_id?: string | null; enterprise_name?: string | null;
  department_id: string; department_name: string; criterion: string; criterion_label: string;
  basis: string; record_id?: string | null; status: string; status_label: string; subjects: Subject[];
  proposed_day: string; notice_number?: string | null; notice_day?: string | null;
  statement_until?: string | null; statement?: string | null; decision_number?: string | null;
  decided_day?: string | null; decision_reason?: string | null; listed_day?: string | null;
  expires_day?: string | null; early_removal_eligible_day?: string | null; published_day?: string | null;
  repair_reason?: string | null; repair_requested_day?: string | null; repair_decision?: string | null;
  removed_day?: string | null; removal_kind?: string | null; restored_day?: string | null;
  restore_reason?: string | null; deadline?: Deadline | null;
}
export interface TimelineEntry { step: string; status: string; note: string; actor_name: string; at: string }
export interface ListingDetail extends Listing { timeline: TimelineEntry[] }
export interface ListingRecord {
  id: string; department_id: string; enterprise_id?: string | null; enterprise_name?: string | null;
  criterion: string; criterion_label: string; occurred_day: string; description: string;
  subjects: Subject[]; created_by_name: string;
}
export interface RecordInput {
  enterprise_id?: string; criterion: string; occurred_day: string; description: string; subjects: Subject[];
}
export interface StepInput {
  step: string; number?: string; day?: string; statement_days?: number; text?: string;
  listed?: boolean; approve?: boolean; reason?: string;
}
export interface PublicRisk {
  id: string; department_name: string; title: string; place: string; advice: string;
  from_day: string; until_day: string; withdrawn: boolean;
}
export interface RiskInput { title: string; place: string; advice: string; from_day: string; until_day: string }
export interface PublicListing {
  subject_kind: string; name: string; credit_code?: string | null; reason: string;
  decision_number?: string | null; department_name: string; listed_day?: string | null; expires_day?: string | null;
}
export interface PublicCredit { listings: PublicListing[]; risks: PublicRisk[] }

export const listListings = (status?: string) => api.get<List<Listing>>(`/api/v1/credit/listings${qs({ status })}`);
export const getListing = (id: string) => api.get<ListingDetail>(`/api/v1/credit/listings/${encodeURIComponent(id)}`);
export const proposeListing = (body: { enterprise_id?: string; record_id?: string; principal_code?: string }) =>
  api.post<Listing>('/api/v1/credit/listings', body);
export const takeStep = (id: string, body: StepInput) =>
  api.post<Listing>(`/api/v1/credit/listings/${encodeURIComponent(id)}/steps`, body);
export const listRecords = () => api.get<List<ListingRecord>>('/api/v1/credit/listing-records');
export const enterRecord = (body: RecordInput) => api.post<ListingRecord>('/api/v1/credit/listing-records', body);
export const listRisks = () => api.get<List<PublicRisk>>('/api/v1/credit/public-risks');
export const publishRisk = (body: RiskInput) => api.post<PublicRisk>('/api/v1/credit/public-risks', body);
export const withdrawRisk = (id: string) => api.post<PublicRisk>(`/api/v1/credit/public-risks/${encodeURIComponent(id)}/withdraw`, {});
export const publicCredit = () => api.get<PublicCredit>('/api/public/credit');

/** May take the department's steps (core::credit::listings::may_manage). */
export const mayManage = (role: string | undefined) => ['admin', 'commander', 'department_staff'].includes(role ?? '');

/** The criteria a department enters (the accident ones are detected). */
export const ENTERED_CRITERIA = [
  { value: 'concealed', label: '瞒报、谎报生产安全事故' },
  { value: 'aggravated_fine', label: '事故情节特别严重，被处2倍以上5倍以下罚款' },
  { value: 'absconded', label: '事故后不组织抢救或擅离职守、逃匿' },
  { value: 'unlicensed', label: '无证或许可暂扣、吊销期间从事生产经营' },
  { value: 'false_report', label: '安全评价等机构出具虚假报告或证书' },
  { value: 'refused_penalty', label: '有执行能力拒不执行行政处罚' },
  { value: 'other', label: '其他性质恶劣、情节严重的违法行为' },
];

/** Element Plus tag type of a status. */
export function statusType(status: string): 'primary' | 'success' | 'warning' | 'danger' | 'info' {
  switch (status) {
    case 'listed': return 'danger';
    case 'repair_requested': return 'warning';
    case 'noticed': return 'warning';
    case 'removed': return 'success';
    case 'not_listed': return 'info';
    default: return 'primary';
  }
}

/** Tag type of a deadline's colour (red past or today, orange within 3 days). */
export function deadlineType(colour: string): 'danger' | 'warning' | 'primary' {
  return colour === 'red' ? 'danger' : colour === 'orange' ? 'warning' : 'primary';
}
