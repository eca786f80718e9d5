// 巡查打卡: every call the patrols pages make, with the types from the API document.
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type Patrol = Schemas['Patrol'];
export type PatrolInput = Schemas['PatrolInput'];

/** Check-ins of a day (today by default): the caller's own with `mine`, else those they may see. */
export const listPatrols = (params: { day?: string; mine?: boolean; region?: string; page_size?: number }) =>
  api.get<List<Patrol>>(`/api/v1/patrols${qs(params)}`);

/** The path a check-in is posted to (through kernel/drafts.ts, with its idempotency key). */
export const PATROLS_PATH = '/api/v1/patrols';
