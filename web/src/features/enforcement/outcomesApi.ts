// 一公开 outcomes (no login): each drawn enterprise's inspection day and result, and a decided
// penalty's 行政处罚决定书 number and summary (docs/enforcement.md).
import { api, type List, type Schemas } from '../../kernel/http';

export type PublicOutcome = Schemas['PublicOutcome'];

export const publicOutcomes = (drawId: string) =>
  api.get<List<PublicOutcome>>(`/api/public/enforcement/draws/${encodeURIComponent(drawId)}/outcomes`);

/** The tag of a result (pending 待检查, clean 未发现问题, hazards 发现隐患, rectify 责令整改, case 立案查处). */
export const RESULT_TAGS: Record<string, 'info' | 'success' | 'warning' | 'danger'> = {
  pending: 'info', clean: 'success', hazards: 'warning', rectify: 'warning', case: 'danger',
};
