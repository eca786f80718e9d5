// Which console pages each role uses: the menu shows them and the router sends a role away from
// the others. Mirrors what the server lets each role see and do (core::*::access on the server:
// e.g. resources are invisible to enterprises, the duty room to grid workers and enterprises,
// accounts to the system and security administrators, the audit log to the auditor only, the 大屏
// to core::workbench::may_watch_screen). A page missing here is open to every business role; the
// security administrator and the auditor (三员分立, ADR 0029) open only the pages that list them
// (deny by default, as `Role::reaches` on the server).

import { reactive } from 'vue';

export type Role = 'admin' | 'security_admin' | 'auditor' | 'commander' | 'department_staff' | 'street_staff' | 'grid_worker' | 'duty_officer' | 'enterprise_user' | 'expert' | 'inspector' | 'legal_reviewer' | 'insurer';

/** 安全保密管理员 and 安全审计员: they read no business data and reach only their own routes
 *  (core::kernel::role::Role::reaches); every page is closed to them unless it names them. */
export const NO_BUSINESS_DATA: Role[] = ['security_admin', 'auditor'];
/** Whether the role reads business data (Role::reads_business_data): the shell's business calls
 *  (unread messages, granted pages, API tokens) are made only for these roles. */
export const readsBusinessData = (role: string | undefined) => !!role && !NO_BUSINESS_DATA.includes(role as Role);
/** The three administrators (三员): their accounts are the security administrator's to change. */
export const ADMINISTRATORS: Role[] = ['admin', 'security_admin', 'auditor'];

/** The business roles (the system administrator included). */
const ALL: Role[] = ['admin', 'commander', 'department_staff', 'street_staff', 'grid_worker', 'duty_officer', 'enterprise_user', 'expert', 'inspector', 'legal_reviewer', 'insurer'];
const LEADERS: Role[] = ['admin', 'commander'];
const DUTY_ROOM: Role[] = ['admin', 'commander', 'duty_officer'];
const GOVERNMENT: Role[] = ['admin', 'commander', 'duty_officer', 'department_staff', 'street_staff'];
/** 执法监管: kept by the bureau's leaders and the departments, read by the inspectors (core::enforcement::may_read). */
const ENFORCEMENT: Role[] = ['admin', 'commander', 'department_staff', 'inspector'];
const SUPERVISORS: Role[] = ['admin', 'commander', 'department_staff', 'street_staff', 'inspector', 'expert'];

/** Route name → the roles that use it. */
export const PAGE_ROLES: Record<string, Role[]> = {
  workbench: ALL,
  /** 灾情报送 (core::disasters::processes::may_read): the government and the 信息员 (grid workers). */
  'disaster-reports': [...GOVERNMENT, 'grid_worker'],
  'disaster-process': [...GOVERNMENT, 'grid_worker'],
  'disaster-summary': GOVERNMENT,
  'disaster-informants': [...GOVERNMENT, 'grid_worker'],
  /** 救助 (core::disasters::relief::may_use): the government; not grid workers (ID and card numbers). */
  'disaster-relief': GOVERNMENT,
  'disaster-relief-batch': GOVERNMENT,
  /** 会商研判 (core::disasters::consultations::may_read): the bureau, departments, and owners of actions. */
  'disaster-consultations': [...GOVERNMENT, 'grid_worker'],
  'disaster-consultation': [...GOVERNMENT, 'grid_worker'],
  /** 网格事件 (core::grid::events::may_read): the government and the grid workers. */
  'grid-events': [...GOVERNMENT, 'grid_worker'],
  'grid-event': [...GOVERNMENT, 'grid_worker'],
  /** 上报 (core::grid::events::intake_source): the field and the duty room. */
  'grid-report': [...DUTY_ROOM, 'street_staff', 'grid_worker'],
  'grid-board': GOVERNMENT,
  /** 网格事件统计 (core::grid::stats::reach): the bureau, the departments and the streets; not grid workers. */
  'grid-stats': GOVERNMENT,
  /** 消息中心: /api/v1/notifications, which the two roles without business data do not reach. */
  messages: ALL,
  account: [...ALL, ...NO_BUSINESS_DATA],
  map: ALL.filter((r) => r !== 'insurer'),
  screen: [...DUTY_ROOM, 'department_staff'],
  'risk-map': [...SUPERVISORS, 'duty_officer', 'enterprise_user'],
  'risk-points': [...SUPERVISORS, 'grid_worker', 'enterprise_user'],
  hazards: ALL.filter((r) => r !== 'insurer'),
  'hazard-stats': SUPERVISORS,
  'prevention-rules': [...LEADERS, 'department_staff'],
  'major-hazards': ['admin', 'commander', 'department_staff', 'enterprise_user', 'inspector', 'expert', 'duty_officer'],
  warnings: GOVERNMENT,
  'protected-objects': [...GOVERNMENT, 'grid_worker'],
  'work-orders': [...DUTY_ROOM, 'street_staff', 'grid_worker'],
  'warning-analysis': GOVERNMENT,
  alarms: [...GOVERNMENT, 'enterprise_user'],
  incidents: [...GOVERNMENT, 'enterprise_user'],
  incident: [...GOVERNMENT, 'enterprise_user'],
  duty: [...DUTY_ROOM, 'department_staff'],
  plans: GOVERNMENT,
  resources: GOVERNMENT,
  'incident-stats': [...DUTY_ROOM, 'department_staff'],
  enterprises: ['admin', 'commander', 'department_staff', 'street_staff', 'grid_worker', 'enterprise_user', 'inspector'],
  regions: GOVERNMENT,
  departments: LEADERS,
  /** 用户管理 (core::security::admins::reads_accounts): the system and security administrators. */
  users: ['admin', 'security_admin'],
  /** 审计日志 (Role::reads_audit): the auditor only. */
  audit: ['auditor'],
  /** 安全策略 (Role::manages_security). */
  'security-policy': ['security_admin'],
  patrol: ['admin', 'commander', 'street_staff', 'grid_worker'],
  /** 网格事件: overlay grids (core::grid::overlays::may_read; enterprises and insurers not). */
  'grid-overlays': ['admin', 'commander', 'duty_officer', 'department_staff', 'street_staff', 'inspector', 'expert', 'legal_reviewer'],
  'grid-patrol-tasks': ['admin', 'commander', 'street_staff', 'grid_worker'],
  'grid-mine': ['street_staff', 'grid_worker'],
  enforcement: ENFORCEMENT,
  'enforcement-tasks': ENFORCEMENT,
  'enforcement-inspection': ENFORCEMENT,
  /** 执法统计 (core::enforcement::stats): the managers' page; an inspector's own line is in the API. */
  'enforcement-stats': ['admin', 'commander', 'department_staff'],
  /** 行政处罚案件 (core::enforcement::case::case_view): also the 法制审核员 and the enterprise (its own). */
  'enforcement-cases': [...ENFORCEMENT, 'legal_reviewer', 'enterprise_user'],
  /** 我的执法检查: the enterprise's own inspections, documents served and cases. */
  'enforcement-mine': ['enterprise_user'],
  /** 联动任务 (core::grid::events::may_read): the government and grid workers. */
  'grid-joint': [...GOVERNMENT, 'grid_worker'],
  /** 一企一档 (core::credit): whoever sees the enterprise; 本企业档案 the enterprise user's own. */
  'credit-dossier': ['admin', 'commander', 'department_staff', 'street_staff', 'grid_worker', 'enterprise_user', 'inspector'],
  'credit-mine': ['enterprise_user'],
  /** 防汛责任人, 汛期巡查, 转移 (core::disasters::flood_access::may_read). */
  'flood-duty': ['admin', 'commander', 'duty_officer', 'department_staff', 'street_staff', 'grid_worker'],
  'flood-patrols': ['admin', 'commander', 'duty_officer', 'department_staff', 'street_staff', 'grid_worker'],
  evacuation: ['admin', 'commander', 'duty_officer', 'department_staff', 'street_staff', 'grid_worker'],
  /** 证照到期与确认 (core::credit::licences::may_decide, and the leaders reading). */
  'credit-licences': ['admin', 'commander', 'department_staff'],
  /** 信用脸谱 (store::credit::rating: the enterprises in the caller's scope); 本企业信用 the enterprise user's own. */
  'credit-ratings': ['admin', 'commander', 'department_staff', 'street_staff', 'inspector'],
  'credit-my-rating': ['enterprise_user'],
  /** 严重失信主体名单 (core::credit::listings::may_read): the departments, and the enterprise its own. */
  'credit-listings': ['admin', 'commander', 'department_staff', 'enterprise_user'],
  /** 安责险 (core::credit::insurance::may_read): also the insurers, their policyholders' only. */
  'credit-insurance': ['admin', 'commander', 'department_staff', 'street_staff', 'duty_officer', 'enterprise_user', 'inspector', 'insurer'],
  /** 承诺公告板 (the board, in the caller's scope) and the enterprise's own 今日安全承诺. */
  'credit-commitments': ['admin', 'commander', 'department_staff', 'street_staff', 'duty_officer', 'inspector'],
  'credit-commitment': ['enterprise_user'],
  /** 履职报告 and 两单两卡 (core::credit::duty_reports, post_cards): the enterprise its own, the departments theirs. */
  'credit-duty-reports': ['admin', 'commander', 'department_staff', 'enterprise_user'],
  'credit-post-cards': ['admin', 'commander', 'department_staff', 'enterprise_user'],
  /** 森林防火 (core::disasters::forest_patrols::may_read; department staff: the forest authority's). */
  forest: ['admin', 'commander', 'department_staff', 'street_staff', 'duty_officer'],
  /** 风险普查 (core::disasters::census::may_import: the district's bureau). */
  census: ['admin', 'commander', 'duty_officer'],
  /** 护林巡查: 护林员 are grid-worker accounts. */
  'forest-ranger': ['grid_worker'],
};

/**
 * Pages opened by who the user is rather than their role: the server says (e.g. 举报奖励 for the
 * administrator and the reward officers named in the district's rules,
 * `GET /api/v1/grid/rewards/table`). The router fills `grants` after sign-in.
 */
export const GRANTED_PAGES = ['grid-rewards'] as const;
export const grants = reactive<Record<string, boolean>>({});

/** Whether a role uses the page of this route name (unknown names are open to all). */
export function mayOpen(routeName: string | symbol | null | undefined, role: string | undefined): boolean {
  if (!role) return false;
  const roles = typeof routeName === 'string' ? PAGE_ROLES[routeName] : undefined;
  // Deny by default for the roles without business data: only the pages that name them.
  if (!readsBusinessData(role)) return !!roles?.includes(role as Role);
  if (typeof routeName === 'string' && (GRANTED_PAGES as readonly string[]).includes(routeName)) return grants[routeName] === true;
  return !roles || roles.includes(role as Role);
}

/** Where a role lands after sign-in and when a page is not theirs: the 工作台, except for the
 *  security administrator (用户管理) and the auditor (审计日志), whose 工作台 calls would be refused. */
export function landingFor(role: string | undefined): string {
  if (role === 'security_admin') return '/users';
  if (role === 'auditor') return '/audit';
  return '/workbench';
}

export interface MenuItem { name: string; path: string; label: string; roles?: Role[] }
export interface MenuGroup { key: string; label: string; icon: string; items: MenuItem[] }

/** The console's menu, in order; `menuFor` keeps what a role uses. */
export const MENU: MenuGroup[] = [
  { key: 'prevention', label: '双重预防', icon: 'Warning', items: [
    { name: 'risk-map', path: '/risk-map', label: '风险四色图' },
    { name: 'risk-points', path: '/risk-points', label: '风险分级管控' },
    { name: 'hazards', path: '/hazards', label: '隐患排查治理' },
    { name: 'hazard-stats', path: '/hazard-stats', label: '隐患统计分析' },
    { name: 'prevention-rules', path: '/prevention-rules', label: '规则与判定标准' },
  ] },
  { key: 'monitoring', label: '监测预警', icon: 'Monitor', items: [
    { name: 'warnings', path: '/warnings', label: '预警发布' },
    { name: 'protected-objects', path: '/protected-objects', label: '承灾体' },
    { name: 'work-orders', path: '/work-orders', label: '响应工单' },
    { name: 'warning-analysis', path: '/warning-analysis', label: '叫应效能分析' },
    { name: 'alarms', path: '/alarms', label: '报警处置' },
    { name: 'major-hazards', path: '/major-hazards', label: '重大危险源' },
  ] },
  { key: 'response', label: '应急指挥', icon: 'Aim', items: [
    { name: 'incidents', path: '/incidents', label: '突发事件' },
    { name: 'duty', path: '/duty', label: '值班值守' },
    { name: 'plans', path: '/plans', label: '预案库' },
    { name: 'resources', path: '/resources', label: '应急资源' },
    { name: 'incident-stats', path: '/incident-stats', label: '事故统计' },
  ] },
  { key: 'disasters', label: '防灾减灾', icon: 'Umbrella', items: [
    { name: 'flood-duty', path: '/disasters/flood', label: '防汛责任人' },
    { name: 'flood-patrols', path: '/disasters/flood/patrols', label: '汛期巡查' },
    { name: 'evacuation', path: '/disasters/evacuation', label: '转移与断禁停撤疏' },
    { name: 'forest', path: '/disasters/forest', label: '森林防火' },
    { name: 'forest-ranger', path: '/disasters/forest/ranger', label: '护林巡查' },
    { name: 'disaster-reports', path: '/disasters/reports', label: '灾情报送' },
    { name: 'disaster-summary', path: '/disasters/summary', label: '灾情统计' },
    { name: 'disaster-informants', path: '/disasters/informants', label: '灾害信息员' },
    { name: 'disaster-relief', path: '/disasters/relief', label: '救助' },
    { name: 'disaster-consultations', path: '/disasters/consultations', label: '会商研判' },
    { name: 'census', path: '/disasters/census', label: '风险普查' },
  ] },
  { key: 'grid', label: '网格事件', icon: 'Grid', items: [
    { name: 'grid-events', path: '/grid/events', label: '事件受理与分拨' },
    { name: 'grid-report', path: '/grid/report', label: '上报事件' },
    { name: 'grid-board', path: '/grid/board', label: '督办看板' },
    { name: 'grid-stats', path: '/grid/stats', label: '事件统计' },
    { name: 'grid-mine', path: '/grid/mine', label: '我的网格' },
    { name: 'grid-overlays', path: '/grid/overlays', label: '应急格与安监格' },
    { name: 'grid-patrol-tasks', path: '/grid/patrol-tasks', label: '巡查任务' },
    { name: 'grid-joint', path: '/grid/joint', label: '联动任务' },
    { name: 'grid-rewards', path: '/grid/rewards', label: '举报奖励' },
  ] },
  { key: 'enforcement', label: '执法监管', icon: 'Stamp', items: [
    { name: 'enforcement', path: '/enforcement', label: '双随机与名录库' },
    { name: 'enforcement-tasks', path: '/enforcement/tasks', label: '检查任务' },
    { name: 'enforcement-cases', path: '/enforcement/cases', label: '行政处罚案件' },
    { name: 'enforcement-stats', path: '/enforcement/stats', label: '执法统计' },
    { name: 'enforcement-mine', path: '/enforcement/mine', label: '我的执法检查' },
  ] },
  { key: 'credit', label: '企业信用', icon: 'Medal', items: [
    { name: 'credit-ratings', path: '/credit/ratings', label: '信用脸谱' },
    { name: 'credit-my-rating', path: '/credit/rating', label: '本企业信用' },
    { name: 'credit-listings', path: '/credit/listings', label: '严重失信主体名单' },
    { name: 'credit-insurance', path: '/credit/insurance', label: '安全生产责任保险' },
    { name: 'credit-commitments', path: '/credit/commitments', label: '承诺公告板' },
    { name: 'credit-commitment', path: '/credit/commitments/today', label: '今日安全承诺' },
    { name: 'credit-duty-reports', path: '/credit/duty-reports', label: '履职报告' },
    { name: 'credit-post-cards', path: '/credit/post-cards', label: '两单两卡' },
  ] },
  { key: 'base', label: '基础数据', icon: 'OfficeBuilding', items: [
    { name: 'enterprises', path: '/enterprises', label: '企业管理' },
    { name: 'credit-mine', path: '/credit/dossier', label: '本企业档案' },
    { name: 'credit-licences', path: '/credit/licences', label: '证照到期与确认' },
    { name: 'regions', path: '/regions', label: '区划与网格' },
    { name: 'departments', path: '/departments', label: '部门管理' },
  ] },
  { key: 'system', label: '系统管理', icon: 'Setting', items: [
    { name: 'users', path: '/users', label: '用户管理' },
    { name: 'audit', path: '/audit', label: '审计日志' },
    { name: 'security-policy', path: '/security/policy', label: '安全策略' },
  ] },
];

/** The menu groups a role uses, each with only its items (empty groups left out). */
export function menuFor(role: string | undefined): MenuGroup[] {
  return MENU.map((g) => ({ ...g, items: g.items.filter((i) => mayOpen(i.name, role)) })).filter((g) => g.items.length > 0);
}

/** Field roles get the phone tab bar (工作台 / 上报 / 工单 / 巡查 / 我的). */
export const FIELD_ROLES: Role[] = ['grid_worker', 'street_staff', 'enterprise_user', 'inspector'];
export const isFieldRole = (role: string | undefined) => FIELD_ROLES.includes(role as Role);

/** Shortcuts on a role's 工作台 (the pages it uses most), filtered by `mayOpen`. */
const SHORTCUTS: MenuItem[] = [
  // The duty room relays and experts advise: neither reports hazards (Role::reports_hazards).
  { name: 'hazards', path: '/hazards?new=1', label: '上报隐患', roles: ALL.filter((r) => r !== 'duty_officer' && r !== 'expert') },
  { name: 'credit-insurance', path: '/credit/insurance', label: '安责险保单', roles: ['insurer'] },
  // An inspector's work: the inspections they are on (managers reach them from the menu).
  { name: 'enforcement-tasks', path: '/enforcement/tasks', label: '我的检查任务', roles: ['inspector'] },
  { name: 'credit-commitment', path: '/credit/commitments/today', label: '今日安全承诺', roles: ['enterprise_user'] },
  { name: 'enforcement-mine', path: '/enforcement/mine', label: '我的执法检查', roles: ['enterprise_user'] },
  { name: 'work-orders', path: '/work-orders', label: '响应工单' },
  { name: 'patrol', path: '/patrol', label: '巡查打卡' },
  { name: 'grid-report', path: '/grid/report', label: '上报网格事件' },
  { name: 'grid-mine', path: '/grid/mine', label: '我的网格', roles: ['grid_worker'] },
  { name: 'forest-ranger', path: '/disasters/forest/ranger', label: '护林巡查' },
  { name: 'incidents', path: '/incidents', label: '突发事件接报' },
  { name: 'alarms', path: '/alarms', label: '报警处置' },
  { name: 'warnings', path: '/warnings', label: '预警发布' },
  { name: 'screen', path: '/screen', label: '综合态势大屏' },
  { name: 'map', path: '/map', label: '一张图' },
  { name: 'resources', path: '/resources', label: '应急资源' },
  { name: 'duty', path: '/duty', label: '值班值守' },
  { name: 'hazard-stats', path: '/hazard-stats', label: '隐患统计' },
  { name: 'risk-points', path: '/risk-points', label: '风险分级管控' },
  { name: 'users', path: '/users', label: '用户管理' },
];
const FIELD_ONLY = new Set(['patrol']);

export function shortcutsFor(role: string | undefined): MenuItem[] {
  return SHORTCUTS.filter((s) => (!FIELD_ONLY.has(s.name) || isFieldRole(role)) && mayOpen(s.name, role) && (!s.roles || s.roles.includes(role as Role))).slice(0, 6);
}
