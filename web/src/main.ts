import { createApp } from 'vue';
import ElementPlus from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import * as Icons from '@element-plus/icons-vue';
import 'element-plus/dist/index.css';
import './style.css';
import './kernel/theme.css';
import App from './App.vue';
import { router } from './shell/router';
import { setErrorHandler } from './kernel/http';
import { startDrafts } from './kernel/drafts';

// The session ended: to the login page (and back afterwards); a first login, an expired password or
// a second factor still to bind: to the account page.
setErrorHandler((err, path) => {
  if (err.status === 401 && !path.endsWith('/auth/login')) router.replace({ name: 'login', query: { next: router.currentRoute.value.fullPath } });
  if (['password_change_required', 'password_expired', 'second_factor_required'].includes(err.code)) router.replace({ name: 'account' });
});

const app = createApp(App);
app.use(ElementPlus, { locale: zhCn });
for (const [name, comp] of Object.entries(Icons)) app.component(name, comp);
app.use(router);
app.mount('#app');

// The service worker caches the app shell for an offline start (public/sw.js, ADR 0023); the
// drafts kept offline are sent when the network returns (kernel/drafts.ts).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => { navigator.serviceWorker.register('/sw.js').catch(() => undefined); });
}
startDrafts();
