import { createRouter, createWebHistory } from 'vue-router';
import { session, loadSession } from './session';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/Login.vue'), meta: { public: true } },
    { path: '/warnings/public', name: 'public-warnings', component: () => import('./views/PublicWarnings.vue'), meta: { public: true } },
    { path: '/report', name: 'public-report', component: () => import('./views/PublicReport.vue'), meta: { public: true } },
    {
      path: '/',
      component: () => import('./views/Layout.vue'),
      children: [
        { path: '', redirect: '/map' },
        { path: 'map', name: 'map', component: () => import('./views/MapView.vue'), meta: { title: '一张图' } },
        { path: 'hazards', name: 'hazards', component: () => import('./views/Hazards.vue'), meta: { title: '隐患排查治理' } },
        { path: 'hazards/:id', redirect: '/hazards' },
        { path: 'risk-map', name: 'risk-map', component: () => import('./views/RiskMap.vue'), meta: { title: '风险四色图' } },
        { path: 'hazard-stats', name: 'hazard-stats', component: () => import('./views/HazardStats.vue'), meta: { title: '隐患统计分析' } },
        { path: 'prevention-rules', name: 'prevention-rules', component: () => import('./views/PreventionRules.vue'), meta: { title: '规则与判定标准' } },
        { path: 'risk-points', name: 'risk-points', component: () => import('./views/RiskPoints.vue'), meta: { title: '风险分级管控' } },
        { path: 'major-hazards', name: 'major-hazards', component: () => import('./views/MajorHazards.vue'), meta: { title: '重大危险源' } },
        { path: 'warnings', name: 'warnings', component: () => import('./views/Warnings.vue'), meta: { title: '预警发布' } },
        { path: 'protected-objects', name: 'protected-objects', component: () => import('./views/ProtectedObjects.vue'), meta: { title: '承灾体' } },
        { path: 'warning-analysis', name: 'warning-analysis', component: () => import('./views/WarningAnalysis.vue'), meta: { title: '叫应效能分析' } },
        { path: 'work-orders', name: 'work-orders', component: () => import('./views/WorkOrders.vue'), meta: { title: '响应工单' } },
        { path: 'alarms', name: 'alarms', component: () => import('./views/Alarms.vue'), meta: { title: '报警处置' } },
        { path: 'incidents', name: 'incidents', component: () => import('./views/Incidents.vue'), meta: { title: '突发事件' } },
        { path: 'incidents/:id', name: 'incident', component: () => import('./views/IncidentCommand.vue'), meta: { title: '指挥调度' } },
        { path: 'duty', name: 'duty', component: () => import('./views/Duty.vue'), meta: { title: '值班值守' } },
        { path: 'incident-stats', name: 'incident-stats', component: () => import('./views/IncidentStats.vue'), meta: { title: '事故统计' } },
        { path: 'resources', name: 'resources', component: () => import('./views/Resources.vue'), meta: { title: '应急资源' } },
        { path: 'plans', name: 'plans', component: () => import('./views/Plans.vue'), meta: { title: '预案库' } },
        { path: 'enterprises', name: 'enterprises', component: () => import('./views/Enterprises.vue'), meta: { title: '企业管理' } },
        { path: 'regions', name: 'regions', component: () => import('./views/Regions.vue'), meta: { title: '区划与网格' } },
        { path: 'departments', name: 'departments', component: () => import('./views/Departments.vue'), meta: { title: '部门管理' } },
        { path: 'users', name: 'users', component: () => import('./views/Users.vue'), meta: { title: '用户管理', admin: true } },
        { path: 'audit', name: 'audit', component: () => import('./views/Audit.vue'), meta: { title: '审计日志', admin: true } },
        { path: 'account', name: 'account', component: () => import('./views/Account.vue'), meta: { title: '账号安全' } },
      ],
    },
    { path: '/:pathMatch(.*)*', redirect: '/map' },
  ],
});

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  if (!session.user && !(await loadSession())) return { name: 'login', query: { next: to.fullPath } };
  if (session.user?.must_change_password && to.name !== 'account') return { name: 'account' };
  if (to.meta.admin && session.user?.role !== 'admin') return { name: 'map' };
  return true;
});
