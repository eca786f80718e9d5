// Who is logged in, and the server's code lists (labels live on the server, once).
import { reactive } from 'vue';
import { api, type Schemas } from './http';

export interface Code { code: string; label: string }
export type User = Schemas['User'];
/** GET /api/v1/meta (the document gives this answer no schema of its own). */
export interface Meta {
  categories: Code[]; flags: Code[]; scales: Code[]; statuses: Code[]; industry_sections: Code[];
  roles: (Code & { scope: string })[]; region_levels: Code[]; import_columns: { header: string; field: string; required: boolean }[];
}

export type Me = Schemas['Me'];
export const session = reactive<{ user: User | null; demo: boolean; meta: Meta | null; me: Me | null }>({ user: null, demo: false, meta: null, me: null });
/** Keeps the sign-in details (password expiry, last login, second factor) for the banners. */
export function setMe(me: Me) { session.me = me; }
/** The account page first: a first or reset password, an expired one, or a second factor the
 *  node requires and the account has not bound (the server refuses everything else until then). */
export function accountFirst(): boolean {
  const me = session.me;
  return !!session.user?.must_change_password || !!me?.password_expired || (!!me?.second_factor_required && !me?.second_factor_enrolled);
}

// The server's clock may differ from the browser's (or be a test clock): countdowns use its time.
let clockOffset = 0;
export function setServerNow(ms: number | undefined) { if (ms) clockOffset = ms - Date.now(); }
export function serverNow(): number { return Date.now() + clockOffset; }

export async function loadSession(): Promise<boolean> {
  try {
    const me = await api.get<Schemas['Me']>('/api/v1/auth/me');
    session.user = me.user;
    session.demo = me.demo;
    session.me = me;
    setServerNow(me.now_ms);
    return true;
  } catch {
    session.user = null;
    return false;
  }
}

export async function loadMeta(): Promise<Meta> {
  if (!session.meta) session.meta = await api.get<Meta>('/api/v1/meta');
  return session.meta;
}

export function label(list: Code[] | undefined, code: string | null | undefined): string {
  return list?.find((c) => c.code === code)?.label ?? code ?? '';
}

/** Colours by supervision category, shared by the map, its legend and the tables. */
export const CATEGORY_COLORS: Record<string, string> = {
  hazchem: '#e53935', mining: '#6d4c41', industry_trade: '#1e88e5', construction: '#fb8c00', transport: '#00897b',
  gas: '#8e24aa', fireworks: '#d81b60', fire_key: '#b71c1c', crowded_place: '#f9a825', small_venue: '#7cb342',
};

/** 四色: 重大/较大/一般/低 = 红/橙/黄/蓝 (GB/T 45000 style four-colour risk maps). */
export const RISK_COLOURS: Record<string, string> = { major: '#d32f2f', large: '#ef6c00', general: '#f9c80e', low: '#1e88e5' };
export const RISK_LEVELS = [
  { value: 'major', label: '重大风险' }, { value: 'large', label: '较大风险' }, { value: 'general', label: '一般风险' }, { value: 'low', label: '低风险' },
];

export const canEditEnterprises = () => ['admin', 'commander', 'department_staff', 'street_staff', 'enterprise_user'].includes(session.user?.role ?? '');
export const canCreateEnterprises = () => ['admin', 'commander', 'department_staff', 'street_staff'].includes(session.user?.role ?? '');
export const isAdmin = () => session.user?.role === 'admin';

export { formatTime, formatShort } from './format';

/** "1小时05分" / "12分30秒" for countdowns. */
export function formatSpan(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  if (d) return `${d}天${h}小时`;
  if (h) return `${h}小时${String(m).padStart(2, '0')}分`;
  return `${m}分${String(sec).padStart(2, '0')}秒`;
}
