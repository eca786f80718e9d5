// The screenshot tour: every menu page of the three administrators (三员), a grid worker, an
// enterprise user and a street worker, on a desktop (1440×900) and a phone (390×844). Each page loads without
// an error message, shows no code where words belong (registered, pending, true …) and, on the
// phone, is never wider than the screen. The screenshots (web/e2e/screenshots/tour-*) are for
// looking at; docs/console.md shows a few.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PAGES = ['/workbench', '/messages', '/map', '/risk-map', '/risk-points', '/hazards', '/hazard-stats', '/prevention-rules', '/warnings',
  '/protected-objects', '/work-orders', '/warning-analysis', '/alarms', '/major-hazards', '/incidents', '/duty', '/plans', '/resources',
  '/incident-stats', '/enterprises', '/regions', '/departments', '/users', '/audit', '/security/policy', '/patrol', '/account'];
const VIEWPORTS = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } };
/** Codes of the API that must reach the user as words. */
const CODES = /\b(registered|rectifying|pending_acceptance|dismissed|acknowledged|published|superseded|draft|pending|general|major|unacked|handling|standby|true|false|null|undefined|NaN)\b/;

for (const who of ['admin', 'secadmin', 'auditor', 'grid', 'enterprise', 'street']) {
  describe(`tour: ${who}`, () => {
    for (const [vp, viewport] of Object.entries(VIEWPORTS)) {
      test(`${who} at ${vp}: every menu page`, async () => {
        const ctx = await browser.newContext({ viewport, locale: 'zh-CN', isMobile: vp === 'phone', hasTouch: vp === 'phone' });
        const page = await ctx.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        await login(page, server.base, who);
        const problems = [];
        for (const p of PAGES) {
          await page.goto(`${server.base}${p}`);
          await page.waitForLoadState('networkidle');
          if (new URL(page.url()).pathname !== p) continue; // not a page of this role
          await page.locator('.el-loading-mask').first().waitFor({ state: 'hidden' }).catch(() => undefined);
          await page.waitForTimeout(400);
          const name = `tour-${who}-${vp}${p.replace(/\//g, '-')}`;
          await screenshot(page, name);
          const text = await page.locator('main, .el-main, body').first().innerText();
          const code = text.match(CODES);
          if (code) problems.push(`${p}: shows the code “${code[0]}”`);
          if (await page.locator('.el-message--error').count()) problems.push(`${p}: an error message: ${await page.locator('.el-message--error').first().innerText()}`);
          if (vp === 'phone') {
            const w = await page.evaluate(() => document.documentElement.scrollWidth);
            if (w > viewport.width) problems.push(`${p}: ${w} px wide`);
          }
        }
        assert.deepEqual(problems, [], problems.join('\n'));
        assert.deepEqual(errors, []);
        await ctx.close();
      });
    }
  });
}
