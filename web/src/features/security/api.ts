// 安全: the password and session policy, the caller's second factor, the second login step.
import { api, qs, type Schemas } from '../../kernel/http';

export type SecurityPolicy = Schemas['SecurityPolicy'];
export type PolicyVersion = Schemas['PolicyVersion'];
export type FactorStatus = Schemas['FactorStatus'];
export type TotpEnrolment = Schemas['TotpEnrolment'];
export type RecoveryCodes = Schemas['RecoveryCodes'];
export type PendingLogin = Schemas['PendingLogin'];
export type Me = Schemas['Me'];

export const getPolicy = () => api.get<PolicyVersion>('/api/v1/security/policy');
export const savePolicy = (body: SecurityPolicy) => api.put<PolicyVersion>('/api/v1/security/policy', body);
export const factorStatus = () => api.get<FactorStatus>('/api/v1/security/factor');
export const startTotp = () => api.post<TotpEnrolment>('/api/v1/security/factor/totp');
export const confirmTotp = (code: string) => api.post<RecoveryCodes>('/api/v1/security/factor/totp/confirm', { code });
export const disableTotp = (password: string) => api.post<null>('/api/v1/security/factor/totp/disable', { password });
export const newRecoveryCodes = (password: string) => api.post<RecoveryCodes>('/api/v1/security/factor/recovery-codes', { password });
export const secondStep = (body: { pending_token: string; method: string; code: string }) => api.post<Me>('/api/v1/auth/login/factor', body);
export const sendSms = (pending_token: string) => api.post<null>('/api/v1/auth/login/sms', { pending_token });

export const METHOD_LABELS: Record<string, string> = { totp: '动态口令', sms: '短信验证码', recovery: '恢复码' };

/** 上次登录 line shown after sign-in. */
export function lastLoginText(me: Pick<Me, 'last_login_ms' | 'last_login_ip' | 'failed_since_last_login'>, format: (ms: number) => string): string {
  const first = me.last_login_ms ? `上次登录：${format(me.last_login_ms)}，地址 ${me.last_login_ip ?? '未知'}` : '这是本账号的首次登录';
  return me.failed_since_last_login > 0 ? `${first}；此后有 ${me.failed_since_last_login} 次登录失败，如非本人操作请立即修改密码` : first;
}

export type SsoProvider = Schemas['SsoProvider'];
export type SsoProviders = Schemas['SsoProviders'];

/** The login page's single sign-on buttons (public; empty when none is configured). */
export const ssoProviders = () => api.get<SsoProviders>('/api/v1/security/sso');

export type BindingTarget = Schemas['SecurityBindingTarget'];

/** 账号绑定对象: enterprises or insurers by a part of the name (id, name, region; at most 20;
 *  audited), for the account keepers (三员分立: the security administrator reads no business lists). */
export const lookUpBindings = (kind: 'enterprise' | 'insurer', q: string) =>
  api.get<Schemas['SecurityBindingTargets']>(`/api/v1/security/bindings${qs({ kind, q: q.trim() })}`);
