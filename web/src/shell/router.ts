import { createRouter, createWebHistory } from 'vue-router';
import { accountFirst, session, loadSession } from '../kernel/session';
import { grants, landingFor, mayOpen, readsBusinessData } from '../kernel/access';
import { loadRewardAccess } from '../features/grid/rewardsApi';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('../features/directory/Login.vue'), meta: { public: true } },
    { path: '/warnings/public', name: 'public-warnings', component: () => import('../features/warning/PublicWarnings.vue'), meta: { public: true } },
    { path: '/report', name: 'public-report', component: () => import('../features/prevention/PublicReport.vue'), meta: { public: true } },
    { path: '/public/credit', name: 'public-credit', component: () => import('../features/credit/PublicCredit.vue'), meta: { public: true } },
    { path: '/public/fire-use', name: 'public-fire-use', component: () => import('../features/disasters/FireUsePublic.vue'), meta: { public: true } },
    { path: '/public/flood-duty', name: 'public-flood-duty', component: () => import('../features/disasters/FloodPublic.vue'), meta: { public: true } },
    { path: '/public/relief/:code', name: 'public-relief', component: () => import('../features/disasters/ReliefPublic.vue'), meta: { public: true } },
    { path: '/public/draws', name: 'public-draws', component: () => import('../features/enforcement/PublicDraws.vue'), meta: { public: true } },
    { path: '/public/grid-report', name: 'public-grid-report', component: () => import('../features/grid/PublicEvent.vue'), meta: { public: true } },
    { path: '/public/reward-claim', name: 'public-reward-claim', component: () => import('../features/grid/PublicRewardClaim.vue'), meta: { public: true } },
    { path: '/public/grid-track', name: 'public-grid-track', component: () => import('../features/grid/PublicEventTrack.vue'), meta: { public: true } },
    { path: '/screen', name: 'screen', component: () => import('../features/workbench/Screen.vue'), meta: { title: '综合态势大屏' } },
    { path: '/print/incidents/:id', component: () => import('../features/response/PrintIncident.vue'), meta: { title: '事故快报' } },
    { path: '/print/hazard-report', component: () => import('../features/prevention/PrintHazardReport.vue'), meta: { title: '隐患月报' } },
    { path: '/print/duty', component: () => import('../features/response/PrintDuty.vue'), meta: { title: '值班日报' } },
    { path: '/print/warning-stats', component: () => import('../features/warning/PrintWarningStats.vue'), meta: { title: '预警响应统计' } },
    { path: '/print/resources', component: () => import('../features/resources/PrintResources.vue'), meta: { title: '资源清单' } },
    { path: '/print/major-hazards', component: () => import('../features/prevention/PrintMajorHazards.vue'), meta: { title: '重大危险源台账' } },
    {
      path: '/',
      component: () => import('./Layout.vue'),
      children: [
        { path: '', redirect: '/workbench' },
        { path: 'workbench', name: 'workbench', component: () => import('../features/workbench/Workbench.vue'), meta: { title: '工作台' } },
        { path: 'messages', name: 'messages', component: () => import('../features/workbench/Messages.vue'), meta: { title: '消息中心' } },
        { path: 'map', name: 'map', component: () => import('./MapView.vue'), meta: { title: '一张图' } },
        { path: 'hazards', name: 'hazards', component: () => import('../features/prevention/Hazards.vue'), meta: { title: '隐患排查治理' } },
        { path: 'hazards/:id', redirect: (to) => ({ path: '/hazards', query: { id: String(to.params.id) } }) },
        { path: 'risk-map', name: 'risk-map', component: () => import('../features/prevention/RiskMap.vue'), meta: { title: '风险四色图' } },
        { path: 'hazard-stats', name: 'hazard-stats', component: () => import('../features/prevention/HazardStats.vue'), meta: { title: '隐患统计分析' } },
        { path: 'prevention-rules', name: 'prevention-rules', component: () => import('../features/prevention/PreventionRules.vue'), meta: { title: '规则与判定标准' } },
        { path: 'risk-points', name: 'risk-points', component: () => import('../features/prevention/RiskPoints.vue'), meta: { title: '风险分级管控' } },
        { path: 'major-hazards', name: 'major-hazards', component: () => import('../features/prevention/MajorHazards.vue'), meta: { title: '重大危险源' } },
        { path: 'warnings', name: 'warnings', component: () => import('../features/warning/Warnings.vue'), meta: { title: '预警发布' } },
        { path: 'protected-objects', name: 'protected-objects', component: () => import('../features/warning/ProtectedObjects.vue'), meta: { title: '承灾体' } },
        { path: 'warning-analysis', name: 'warning-analysis', component: () => import('../features/warning/WarningAnalysis.vue'), meta: { title: '叫应效能分析' } },
        { path: 'disasters/flood', name: 'flood-duty', component: () => import('../features/disasters/FloodDuty.vue'), meta: { title: '防汛责任人' } },
        { path: 'disasters/flood/patrols', name: 'flood-patrols', component: () => import('../features/disasters/FloodPatrols.vue'), meta: { title: '汛期巡查' } },
        { path: 'disasters/evacuation', name: 'evacuation', component: () => import('../features/disasters/Evacuation.vue'), meta: { title: '转移与断禁停撤疏' } },
        { path: 'grid/events', name: 'grid-events', component: () => import('../features/grid/GridEvents.vue'), meta: { title: '事件受理与分拨' } },
        { path: 'grid/events/:id', name: 'grid-event', component: () => import('../features/grid/GridEvent.vue'), meta: { title: '网格事件' } },
        { path: 'grid/report', name: 'grid-report', component: () => import('../features/grid/GridReport.vue'), meta: { title: '上报网格事件' } },
        { path: 'grid/board', name: 'grid-board', component: () => import('../features/grid/GridBoard.vue'), meta: { title: '督办看板' } },
        { path: 'grid/stats', name: 'grid-stats', component: () => import('../features/grid/GridStats.vue'), meta: { title: '网格事件统计' } },
        { path: 'patrol', name: 'patrol', component: () => import('../features/patrols/Patrol.vue'), meta: { title: '巡查打卡' } },
        { path: 'grid/mine', name: 'grid-mine', component: () => import('../features/grid/MyGrids.vue'), meta: { title: '我的网格' } },
        { path: 'grid/overlays', name: 'grid-overlays', component: () => import('../features/grid/Overlays.vue'), meta: { title: '应急格与安监格' } },
        { path: 'grid/patrol-tasks', name: 'grid-patrol-tasks', component: () => import('../features/grid/PatrolTasks.vue'), meta: { title: '巡查任务' } },
        { path: 'work-orders', name: 'work-orders', component: () => import('../features/warning/WorkOrders.vue'), meta: { title: '响应工单' } },
        { path: 'alarms', name: 'alarms', component: () => import('../features/monitoring/Alarms.vue'), meta: { title: '报警处置' } },
        { path: 'incidents', name: 'incidents', component: () => import('../features/response/Incidents.vue'), meta: { title: '突发事件' } },
        { path: 'incidents/:id', name: 'incident', component: () => import('../features/response/IncidentCommand.vue'), meta: { title: '指挥调度' } },
        { path: 'duty', name: 'duty', component: () => import('../features/response/Duty.vue'), meta: { title: '值班值守' } },
        { path: 'incident-stats', name: 'incident-stats', component: () => import('../features/response/IncidentStats.vue'), meta: { title: '事故统计' } },
        { path: 'resources', name: 'resources', component: () => import('../features/resources/Resources.vue'), meta: { title: '应急资源' } },
        { path: 'plans', name: 'plans', component: () => import('../features/response/Plans.vue'), meta: { title: '预案库' } },
        { path: 'credit/insurance', name: 'credit-insurance', component: () => import('../features/credit/Insurance.vue'), meta: { title: '安全生产责任保险' } },
        { path: 'disasters/reports', name: 'disaster-reports', component: () => import('../features/disasters/ReportList.vue'), meta: { title: '灾情报送' } },
        { path: 'disasters/summary', name: 'disaster-summary', component: () => import('../features/disasters/DisasterSummary.vue'), meta: { title: '灾情统计' } },
        { path: 'disasters/consultations', name: 'disaster-consultations', component: () => import('../features/disasters/ConsultationList.vue'), meta: { title: '会商研判' } },
        { path: 'disasters/consultations/:id', name: 'disaster-consultation', component: () => import('../features/disasters/ConsultationDetail.vue'), meta: { title: '会商研判' } },
        { path: 'disasters/census', name: 'census', component: () => import('../features/disasters/Census.vue'), meta: { title: '风险普查' } },
        { path: 'disasters/informants', name: 'disaster-informants', component: () => import('../features/disasters/InformantList.vue'), meta: { title: '灾害信息员' } },
        { path: 'disasters/processes/:id', name: 'disaster-process', component: () => import('../features/disasters/ProcessDetail.vue'), meta: { title: '灾害过程' } },
        { path: 'disasters/relief', name: 'disaster-relief', component: () => import('../features/disasters/Relief.vue'), meta: { title: '救助' } },
        { path: 'disasters/relief/batches/:id', name: 'disaster-relief-batch', component: () => import('../features/disasters/ReliefBatch.vue'), meta: { title: '救助资金发放批次' } },
        { path: 'grid/rewards', name: 'grid-rewards', component: () => import('../features/grid/GridRewards.vue'), meta: { title: '举报奖励' } },
        { path: 'grid/joint', name: 'grid-joint', component: () => import('../features/grid/JointList.vue'), meta: { title: '联动任务' } },
        { path: 'enforcement', name: 'enforcement', component: () => import('../features/enforcement/Enforcement.vue'), meta: { title: '执法监管' } },
        { path: 'enforcement/cases', name: 'enforcement-cases', component: () => import('../features/enforcement/CasesBoard.vue'), meta: { title: '行政处罚案件' } },
        { path: 'enforcement/stats', name: 'enforcement-stats', component: () => import('../features/enforcement/Stats.vue'), meta: { title: '执法统计' } },
        { path: 'enforcement/mine', name: 'enforcement-mine', component: () => import('../features/enforcement/Mine.vue'), meta: { title: '我的执法检查' } },
        { path: 'enforcement/tasks', name: 'enforcement-tasks', component: () => import('../features/enforcement/Tasks.vue'), meta: { title: '检查任务' } },
        { path: 'enforcement/tasks/:id', name: 'enforcement-inspection', component: () => import('../features/enforcement/Inspection.vue'), meta: { title: '现场检查' } },
        { path: 'credit/dossiers/:id', name: 'credit-dossier', component: () => import('../features/credit/Dossier.vue'), meta: { title: '一企一档' } },
        { path: 'credit/dossier', name: 'credit-mine', component: () => import('../features/credit/Dossier.vue'), meta: { title: '本企业档案' } },
        { path: 'credit/licences', name: 'credit-licences', component: () => import('../features/credit/Licences.vue'), meta: { title: '证照到期与确认' } },
        { path: 'credit/ratings', name: 'credit-ratings', component: () => import('../features/credit/Ratings.vue'), meta: { title: '信用脸谱' } },
        { path: 'credit/rating', name: 'credit-my-rating', component: () => import('../features/credit/MyRating.vue'), meta: { title: '本企业信用' } },
        { path: 'credit/commitments', name: 'credit-commitments', component: () => import('../features/credit/Commitments.vue'), meta: { title: '承诺公告板' } },
        { path: 'credit/commitments/today', name: 'credit-commitment', component: () => import('../features/credit/CommitmentForm.vue'), meta: { title: '今日安全承诺' } },
        { path: 'credit/listings', name: 'credit-listings', component: () => import('../features/credit/Listings.vue'), meta: { title: '严重失信主体名单' } },
        { path: 'credit/duty-reports', name: 'credit-duty-reports', component: () => import('../features/credit/DutyReports.vue'), meta: { title: '履职报告' } },
        { path: 'credit/post-cards', name: 'credit-post-cards', component: () => import('../features/credit/PostCards.vue'), meta: { title: '两单两卡' } },
        { path: 'disasters/forest', name: 'forest', component: () => import('../features/disasters/Forest.vue'), meta: { title: '森林防火' } },
        { path: 'disasters/forest/ranger', name: 'forest-ranger', component: () => import('../features/disasters/ForestRanger.vue'), meta: { title: '护林巡查' } },
        { path: 'enterprises', name: 'enterprises', component: () => import('../features/directory/Enterprises.vue'), meta: { title: '企业管理' } },
        { path: 'regions', name: 'regions', component: () => import('../features/directory/Regions.vue'), meta: { title: '区划与网格' } },
        { path: 'departments', name: 'departments', component: () => import('../features/directory/Departments.vue'), meta: { title: '部门管理' } },
        { path: 'users', name: 'users', component: () => import('../features/directory/Users.vue'), meta: { title: '用户管理' } },
        { path: 'audit', name: 'audit', component: () => import('../features/directory/Audit.vue'), meta: { title: '审计日志' } },
        { path: 'security/policy', name: 'security-policy', component: () => import('../features/security/Policy.vue'), meta: { title: '安全策略' } },
        { path: 'account', name: 'account', component: () => import('../features/directory/Account.vue'), meta: { title: '账号安全' } },
      ],
    },
    { path: '/:pathMatch(.*)*', redirect: '/workbench' },
  ],
});

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
