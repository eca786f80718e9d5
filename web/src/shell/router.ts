import { createRouter, createWebHistory, type RouteMeta, type RouteRecordRedirect, type RouteRecordSingleView, type RouteRecordSingleViewWithChildren } from 'vue-router';
import { accountFirst, session, loadSession } from '../kernel/session';
import { grants, landingFor, mayOpen, readsBusinessData } from '../kernel/access';
import { loadRewardAccess } from '../features/grid/rewardsApi';

declare module 'vue-router' {
  interface RouteMeta {
    /** The page's title. */
    title?: string;
    /** Opens without signing in. */
    public?: boolean;
    /**
     * Shows personal data: names with phone or ID numbers, 特殊群体, reporters, relief recipients,
     * accounts, the audit log, contacts (issue 26, 等保 个人信息保护). Such a page carries the
     * viewer's watermark (kernel/ViewerWatermark.vue). Every page says it, true or false: a
     * page without it does not typecheck (`Page` below).
     */
    personal: boolean;
  }
}

/** A page: a component whose meta says whether it shows personal data. */
type Page = RouteRecordSingleView & { meta: RouteMeta };
/** The console's frame around its pages. */
type Frame = Omit<RouteRecordSingleViewWithChildren, 'children'> & { children: Route[] };
/** Every route is a page, the frame, or a redirect. */
type Route = Page | Frame | RouteRecordRedirect;

const routes: Route[] = [
  { path: '/login', name: 'login', component: () => import('../features/directory/Login.vue'), meta: { public: true, personal: false } },
  { path: '/warnings/public', name: 'public-warnings', component: () => import('../features/warning/PublicWarnings.vue'), meta: { public: true, personal: false } },
  { path: '/report', name: 'public-report', component: () => import('../features/prevention/PublicReport.vue'), meta: { public: true, personal: false } },
  { path: '/public/credit', name: 'public-credit', component: () => import('../features/credit/PublicCredit.vue'), meta: { public: true, personal: false } },
  { path: '/public/fire-use', name: 'public-fire-use', component: () => import('../features/disasters/FireUsePublic.vue'), meta: { public: true, personal: false } },
  { path: '/public/flood-duty', name: 'public-flood-duty', component: () => import('../features/disasters/FloodPublic.vue'), meta: { public: true, personal: false } },
  { path: '/public/relief/:code', name: 'public-relief', component: () => import('../features/disasters/ReliefPublic.vue'), meta: { public: true, personal: false } },
  { path: '/public/draws', name: 'public-draws', component: () => import('../features/enforcement/PublicDraws.vue'), meta: { public: true, personal: false } },
  { path: '/public/grid-report', name: 'public-grid-report', component: () => import('../features/grid/PublicEvent.vue'), meta: { public: true, personal: false } },
  { path: '/public/reward-claim', name: 'public-reward-claim', component: () => import('../features/grid/PublicRewardClaim.vue'), meta: { public: true, personal: false } },
  { path: '/public/grid-track', name: 'public-grid-track', component: () => import('../features/grid/PublicEventTrack.vue'), meta: { public: true, personal: false } },
  { path: '/screen', name: 'screen', component: () => import('../features/workbench/Screen.vue'), meta: { title: '综合态势大屏', personal: false } },
  { path: '/print/incidents/:id', component: () => import('../features/response/PrintIncident.vue'), meta: { title: '事故快报', personal: true } },
  { path: '/print/hazard-report', component: () => import('../features/prevention/PrintHazardReport.vue'), meta: { title: '隐患月报', personal: false } },
  { path: '/print/duty', component: () => import('../features/response/PrintDuty.vue'), meta: { title: '值班日报', personal: true } },
  { path: '/print/warning-stats', component: () => import('../features/warning/PrintWarningStats.vue'), meta: { title: '预警响应统计', personal: false } },
  { path: '/print/resources', component: () => import('../features/resources/PrintResources.vue'), meta: { title: '资源清单', personal: true } },
  { path: '/print/major-hazards', component: () => import('../features/prevention/PrintMajorHazards.vue'), meta: { title: '重大危险源台账', personal: true } },
  {
    path: '/',
    component: () => import('./Layout.vue'),
    children: [
      { path: '', redirect: '/workbench' },
      { path: 'workbench', name: 'workbench', component: () => import('../features/workbench/Workbench.vue'), meta: { title: '工作台', personal: false } },
      { path: 'messages', name: 'messages', component: () => import('../features/workbench/Messages.vue'), meta: { title: '消息中心', personal: false } },
      { path: 'map', name: 'map', component: () => import('./MapView.vue'), meta: { title: '一张图', personal: false } },
      { path: 'hazards', name: 'hazards', component: () => import('../features/prevention/Hazards.vue'), meta: { title: '隐患排查治理', personal: true } },
      { path: 'hazards/:id', redirect: (to) => ({ path: '/hazards', query: { id: String(to.params.id) } }) },
      { path: 'risk-map', name: 'risk-map', component: () => import('../features/prevention/RiskMap.vue'), meta: { title: '风险四色图', personal: true } },
      { path: 'hazard-stats', name: 'hazard-stats', component: () => import('../features/prevention/HazardStats.vue'), meta: { title: '隐患统计分析', personal: false } },
      { path: 'prevention-rules', name: 'prevention-rules', component: () => import('../features/prevention/PreventionRules.vue'), meta: { title: '规则与判定标准', personal: false } },
      { path: 'risk-points', name: 'risk-points', component: () => import('../features/prevention/RiskPoints.vue'), meta: { title: '风险分级管控', personal: true } },
      { path: 'major-hazards', name: 'major-hazards', component: () => import('../features/prevention/MajorHazards.vue'), meta: { title: '重大危险源', personal: true } },
      { path: 'warnings', name: 'warnings', component: () => import('../features/warning/Warnings.vue'), meta: { title: '预警发布', personal: false } },
      { path: 'protected-objects', name: 'protected-objects', component: () => import('../features/warning/ProtectedObjects.vue'), meta: { title: '承灾体', personal: true } },
      { path: 'warning-analysis', name: 'warning-analysis', component: () => import('../features/warning/WarningAnalysis.vue'), meta: { title: '叫应效能分析', personal: false } },
      { path: 'disasters/flood', name: 'flood-duty', component: () => import('../features/disasters/FloodDuty.vue'), meta: { title: '防汛责任人', personal: true } },
      { path: 'disasters/flood/patrols', name: 'flood-patrols', component: () => import('../features/disasters/FloodPatrols.vue'), meta: { title: '汛期巡查', personal: false } },
      { path: 'disasters/evacuation', name: 'evacuation', component: () => import('../features/disasters/Evacuation.vue'), meta: { title: '转移与断禁停撤疏', personal: true } },
      { path: 'grid/events', name: 'grid-events', component: () => import('../features/grid/GridEvents.vue'), meta: { title: '事件受理与分拨', personal: true } },
      { path: 'grid/events/:id', name: 'grid-event', component: () => import('../features/grid/GridEvent.vue'), meta: { title: '网格事件', personal: true } },
      { path: 'grid/report', name: 'grid-report', component: () => import('../features/grid/GridReport.vue'), meta: { title: '上报网格事件', personal: false } },
      { path: 'grid/board', name: 'grid-board', component: () => import('../features/grid/GridBoard.vue'), meta: { title: '督办看板', personal: true } },
      { path: 'grid/stats', name: 'grid-stats', component: () => import('../features/grid/GridStats.vue'), meta: { title: '网格事件统计', personal: false } },
      { path: 'patrol', name: 'patrol', component: () => import('../features/patrols/Patrol.vue'), meta: { title: '巡查打卡', personal: false } },
      { path: 'grid/mine', name: 'grid-mine', component: () => import('../features/grid/MyGrids.vue'), meta: { title: '我的网格', personal: true } },
      { path: 'grid/overlays', name: 'grid-overlays', component: () => import('../features/grid/Overlays.vue'), meta: { title: '应急格与安监格', personal: false } },
      { path: 'grid/patrol-tasks', name: 'grid-patrol-tasks', component: () => import('../features/grid/PatrolTasks.vue'), meta: { title: '巡查任务', personal: false } },
      { path: 'work-orders', name: 'work-orders', component: () => import('../features/warning/WorkOrders.vue'), meta: { title: '响应工单', personal: false } },
      { path: 'alarms', name: 'alarms', component: () => import('../features/monitoring/Alarms.vue'), meta: { title: '报警处置', personal: false } },
      { path: 'incidents', name: 'incidents', component: () => import('../features/response/Incidents.vue'), meta: { title: '突发事件', personal: false } },
      { path: 'incidents/:id', name: 'incident', component: () => import('../features/response/IncidentCommand.vue'), meta: { title: '指挥调度', personal: true } },
      { path: 'duty', name: 'duty', component: () => import('../features/response/Duty.vue'), meta: { title: '值班值守', personal: true } },
      { path: 'incident-stats', name: 'incident-stats', component: () => import('../features/response/IncidentStats.vue'), meta: { title: '事故统计', personal: false } },
      { path: 'resources', name: 'resources', component: () => import('../features/resources/Resources.vue'), meta: { title: '应急资源', personal: true } },
      { path: 'plans', name: 'plans', component: () => import('../features/response/Plans.vue'), meta: { title: '预案库', personal: false } },
      { path: 'credit/insurance', name: 'credit-insurance', component: () => import('../features/credit/Insurance.vue'), meta: { title: '安全生产责任保险', personal: false } },
      { path: 'disasters/reports', name: 'disaster-reports', component: () => import('../features/disasters/ReportList.vue'), meta: { title: '灾情报送', personal: false } },
      { path: 'disasters/summary', name: 'disaster-summary', component: () => import('../features/disasters/DisasterSummary.vue'), meta: { title: '灾情统计', personal: false } },
      { path: 'disasters/consultations', name: 'disaster-consultations', component: () => import('../features/disasters/ConsultationList.vue'), meta: { title: '会商研判', personal: false } },
      { path: 'disasters/consultations/:id', name: 'disaster-consultation', component: () => import('../features/disasters/ConsultationDetail.vue'), meta: { title: '会商研判', personal: false } },
      { path: 'disasters/census', name: 'census', component: () => import('../features/disasters/Census.vue'), meta: { title: '风险普查', personal: false } },
      { path: 'disasters/informants', name: 'disaster-informants', component: () => import('../features/disasters/InformantList.vue'), meta: { title: '灾害信息员', personal: true } },
      { path: 'disasters/processes/:id', name: 'disaster-process', component: () => import('../features/disasters/ProcessDetail.vue'), meta: { title: '灾害过程', personal: true } },
      { path: 'disasters/relief', name: 'disaster-relief', component: () => import('../features/disasters/Relief.vue'), meta: { title: '救助', personal: true } },
      { path: 'disasters/relief/batches/:id', name: 'disaster-relief-batch', component: () => import('../features/disasters/ReliefBatch.vue'), meta: { title: '救助资金发放批次', personal: true } },
      { path: 'grid/rewards', name: 'grid-rewards', component: () => import('../features/grid/GridRewards.vue'), meta: { title: '举报奖励', personal: true } },
      { path: 'grid/joint', name: 'grid-joint', component: () => import('../features/grid/JointList.vue'), meta: { title: '联动任务', personal: false } },
      { path: 'enforcement', name: 'enforcement', component: () => import('../features/enforcement/Enforcement.vue'), meta: { title: '执法监管', personal: false } },
      { path: 'enforcement/cases', name: 'enforcement-cases', component: () => import('../features/enforcement/CasesBoard.vue'), meta: { title: '行政处罚案件', personal: false } },
      { path: 'enforcement/stats', name: 'enforcement-stats', component: () => import('../features/enforcement/Stats.vue'), meta: { title: '执法统计', personal: false } },
      { path: 'enforcement/mine', name: 'enforcement-mine', component: () => import('../features/enforcement/Mine.vue'), meta: { title: '我的执法检查', personal: false } },
      { path: 'enforcement/tasks', name: 'enforcement-tasks', component: () => import('../features/enforcement/Tasks.vue'), meta: { title: '检查任务', personal: false } },
      { path: 'enforcement/tasks/:id', name: 'enforcement-inspection', component: () => import('../features/enforcement/Inspection.vue'), meta: { title: '现场检查', personal: true } },
      { path: 'credit/dossiers/:id', name: 'credit-dossier', component: () => import('../features/credit/Dossier.vue'), meta: { title: '一企一档', personal: true } },
      { path: 'credit/dossier', name: 'credit-mine', component: () => import('../features/credit/Dossier.vue'), meta: { title: '本企业档案', personal: true } },
      { path: 'credit/licences', name: 'credit-licences', component: () => import('../features/credit/Licences.vue'), meta: { title: '证照到期与确认', personal: false } },
      { path: 'credit/ratings', name: 'credit-ratings', component: () => import('../features/credit/Ratings.vue'), meta: { title: '信用脸谱', personal: false } },
      { path: 'credit/rating', name: 'credit-my-rating', component: () => import('../features/credit/MyRating.vue'), meta: { title: '本企业信用', personal: false } },
      { path: 'credit/commitments', name: 'credit-commitments', component: () => import('../features/credit/Commitments.vue'), meta: { title: '承诺公告板', personal: false } },
      { path: 'credit/commitments/today', name: 'credit-commitment', component: () => import('../features/credit/CommitmentForm.vue'), meta: { title: '今日安全承诺', personal: false } },
      { path: 'credit/listings', name: 'credit-listings', component: () => import('../features/credit/Listings.vue'), meta: { title: '严重失信主体名单', personal: true } },
      { path: 'credit/duty-reports', name: 'credit-duty-reports', component: () => import('../features/credit/DutyReports.vue'), meta: { title: '履职报告', personal: false } },
      { path: 'credit/post-cards', name: 'credit-post-cards', component: () => import('../features/credit/PostCards.vue'), meta: { title: '两单两卡', personal: false } },
      { path: 'disasters/forest', name: 'forest', component: () => import('../features/disasters/Forest.vue'), meta: { title: '森林防火', personal: true } },
      { path: 'disasters/forest/ranger', name: 'forest-ranger', component: () => import('../features/disasters/ForestRanger.vue'), meta: { title: '护林巡查', personal: false } },
      { path: 'enterprises', name: 'enterprises', component: () => import('../features/directory/Enterprises.vue'), meta: { title: '企业管理', personal: true } },
      { path: 'regions', name: 'regions', component: () => import('../features/directory/Regions.vue'), meta: { title: '区划与网格', personal: false } },
      { path: 'departments', name: 'departments', component: () => import('../features/directory/Departments.vue'), meta: { title: '部门管理', personal: false } },
      { path: 'users', name: 'users', component: () => import('../features/directory/Users.vue'), meta: { title: '用户管理', personal: true } },
      { path: 'audit', name: 'audit', component: () => import('../features/directory/Audit.vue'), meta: { title: '审计日志', personal: true } },
      { path: 'security/policy', name: 'security-policy', component: () => import('../features/security/Policy.vue'), meta: { title: '安全策略', personal: false } },
      { path: 'account', name: 'account', component: () => import('../features/directory/Account.vue'), meta: { title: '账号安全', personal: false } },
    ],
  },
  { path: '/:pathMatch(.*)*', redirect: '/workbench' },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  if (!session.user && !(await loadSession())) return { name: 'login', query: { next: to.fullPath } };
  if (accountFirst() && to.name !== 'account') return { name: 'account' };
  const role = session.user?.role;
  // Pages granted per user (kernel/access.ts GRANTED_PAGES): asked once per signed-in user, and
  // only of roles that read business data (the others are refused that route).
  grants['grid-rewards'] = readsBusinessData(role) ? await loadRewardAccess(session.user?.id) : false;
  // A role is sent away from the pages it does not use (kernel/access.ts mirrors the server), to
  // its landing page (the 工作台, or 用户管理 / 审计日志 for the security administrator / auditor).
  const landing = landingFor(role);
  if (!mayOpen(to.name, role) && to.path !== landing) return { path: landing };
  return true;
});
