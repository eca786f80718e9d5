// axe-core on the console's main pages, for the roles that use them, at desktop and phone width:
// no critical or serious violation (names of buttons and fields, valid ARIA, WCAG AA contrast).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations, login, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/** Each page once loaded: its main content has rendered and no request is outstanding. */
async function settle(page) {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
}

async function check(user, viewport, paths) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN', isMobile: viewport === PHONE, hasTouch: viewport === PHONE });
  const page = await ctx.newPage();
  const found = [];
  try {
    if (user) await login(page, server.base, user);
    for (const p of paths) {
      await page.goto(`${server.base}${p}`);
      await settle(page);
      for (const v of await axeViolations(page)) found.push(`${p}: ${v}`);
    }
  } finally {
    await ctx.close();
  }
  assert.deepEqual(found, [], `axe-core (${user ?? 'public'}, ${viewport.width} px):\n${found.join('\n')}`);
}

const MAIN = ['/workbench', '/messages', '/screen', '/map', '/hazards', '/risk-map', '/hazard-stats', '/prevention-rules', '/risk-points', '/major-hazards',
  '/warnings', '/protected-objects', '/warning-analysis', '/work-orders', '/alarms', '/incidents', '/duty',
  '/incident-stats', '/resources', '/plans', '/enterprises', '/regions', '/departments', '/users', '/account'];

describe('axe-core', () => {
  test('the main pages for the administrator at desktop width', async () => {
    await check('admin', DESKTOP, MAIN);
  });
  test('the security administrator and the auditor (三员分立) at desktop width', async () => {
    await check('secadmin', DESKTOP, ['/users', '/security/policy', '/account']);
    await check('auditor', DESKTOP, ['/audit', '/account']);
  });
  test('the field pages of a grid worker on a phone', async () => {
    await check('grid', PHONE, ['/workbench', '/hazards', '/work-orders', '/patrol', '/messages', '/account']);
  });
  test('the enterprise safety officer on a phone', async () => {
    await check('enterprise', PHONE, ['/workbench', '/hazards', '/alarms', '/risk-points']);
  });
  test('the public pages', async () => {
    await check(null, PHONE, ['/login', '/report', '/warnings/public']);
  });
});
