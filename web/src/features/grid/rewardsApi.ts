// 有奖举报 (docs/grid/rewards.md): the reward officer's queue and steps, the table (whether the
// caller is an officer, the rows to pick at 认定), and the reporter's claim (no login).
import { reactive } from 'vue';
import { api, qs, type Schemas } from '../../kernel/http';

export type GridRewardItem = Schemas['GridRewardItem'];
export type GridReward = Schemas['GridReward'];
export type GridRewardRow = Schemas['GridRewardRow'];
export type GridRewardTable = Schemas['GridRewardTable'];
export type RewardClaim = Schemas['RewardClaim'];

export const STATUSES = [
  { code: 'pending', label: '待核查' },
  { code: 'verified', label: '已核查属实' },
  { code: 'identified', label: '已认定' },
  { code: 'decided', label: '已决定奖励' },
  { code: 'paid', label: '已发放' },
  { code: 'rejected', label: '核查不属实' },
];

export const rewardQueue = (status: string) => api.get<Schemas['GridRewardList']>(`/api/v1/grid/rewards${qs({ status })}`);
export const rewardTable = () => api.get<GridRewardTable>('/api/v1/grid/rewards/table');
export const rewardItem = (id: string) => api.get<GridRewardItem>(`/api/v1/grid/rewards/${encodeURIComponent(id)}`);
const step = (id: string, s: string, body: unknown) => api.post<GridRewardItem>(`/api/v1/grid/rewards/${encodeURIComponent(id)}/${s}`, body);
export const verifyReward = (id: string, body: Schemas['GridRewardVerifyInput']) => step(id, 'verify', body);
export const identifyReward = (id: string, body: Schemas['GridRewardIdentifyInput']) => step(id, 'identify', body);
export const decideReward = (id: string) => step(id, 'decide', {});
export const payReward = (id: string, body: Schemas['GridRewardPayInput']) => step(id, 'pay', body);
export const claimReward = (body: Schemas['RewardClaimInput']) => api.post<RewardClaim>('/api/public/rewards/claim', body);

/** Whether the signed-in user is a reward officer (the menu shows 举报奖励 by it); per session. */
export const rewardAccess = reactive<{ user: string | null; officer: boolean }>({ user: null, officer: false });

/** Asks the server once per signed-in user (officers are named in the district's rules). */
export async function loadRewardAccess(userId: string | undefined): Promise<boolean> {
  if (!userId) { rewardAccess.user = null; rewardAccess.officer = false; return false; }
  if (rewardAccess.user === userId) return rewardAccess.officer;
  try { rewardAccess.officer = (await rewardTable()).officer; } catch { rewardAccess.officer = false; }
  rewardAccess.user = userId;
  return rewardAccess.officer;
}
