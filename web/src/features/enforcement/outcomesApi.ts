// 一公开 outcomes (no login): each drawn enterprise's inspection day and result, and a decided
// penalty's 行政处罚决定书 number and summary (docs/enforcement.md).
import { api, type List, type Schemas } from '../../kernel/http';

export type PublicOutcome = Schemas['PublicOutcome'];

export const publicOutcomes = (drawId: string) =>
  api.get<List<PublicOutcome>>(`/api/public/enforcement/draws/${encodeURIComponent(drawId)}/outcomes`);
