// Browser tests of 身份鉴别 (ADR 0030): the last login after sign-in, binding a TOTP on the account
// page (the key as text, recovery codes shown once), and the second login step.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, axeViolations, screenshot, startBrowser, startServer, totp } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });


async function signIn(page, username) {
  await page.goto(`${server.base}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
}

describe('身份鉴别', () => {
  test('binds a TOTP, then signs in in two steps with a recovery code', async () => {
    for (const [name, viewport] of [['desktop', { width: 1440, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
      const user = name === 'desktop' ? 'commander' : 'duty';
      const page = await (await browser.newContext({ viewport, locale: 'zh-CN' })).newPage();
      await signIn(page, user);
      await page.getByText('这是本账号的首次登录').waitFor();
      await page.waitForURL(/\/workbench/);
      await page.goto(`${server.base}/account`);
      await page.getByText('双因素认证').waitFor();
      await page.getByText('上次登录').or(page.getByText('首次登录')).first().waitFor();
      await page.getByRole('button', { name: '绑定动态口令' }).click();
      const secret = await page.locator('[data-test=totp-secret]').innerText();
      await screenshot(page, `security-enrol-${name}`);
      await page.fill('input[name=totp_code]', totp(secret, Date.now()));
      await page.getByRole('button', { name: '确认绑定' }).click();
      const codes = page.locator('[data-test=recovery-codes] code');
      await codes.first().waitFor();
      assert.equal(await codes.count(), 10);
      const recovery = await codes.nth(0).innerText();
      await screenshot(page, `security-codes-${name}`);
      // The confirmation toast fades in and out (axe reads its half-transparent text).
      await page.locator('.el-message').waitFor({ state: 'detached', timeout: 10000 }).catch(() => {});
      assert.deepEqual(await axeViolations(page), []);
      assert.equal(await page.evaluate(async () => (await fetch('/api/v1/auth/logout', { method: 'POST' })).status), 200);
      await signIn(page, user);
      await page.getByText('第二步：身份验证').waitFor();
      await screenshot(page, `security-second-step-${name}`);
      await page.getByText('恢复码', { exact: true }).click();
      await page.fill('input[name=code]', recovery);
      await page.getByRole('button', { name: '验 证' }).click();
      await page.waitForURL(/\/workbench/);
      await page.getByText('上次登录：').waitFor();
      await page.context().close();
    }
  });

  test('a single sign-on whose second factor is due here continues at the second step', async () => {
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })).newPage();
    await page.goto(`${server.base}/login#sso_pending=not-a-real-token&methods=totp,recovery`);
    await page.getByText('第二步：身份验证').waitFor();
    // The pending token leaves the address bar at once.
    assert.equal(new URL(page.url()).hash, '');
    await page.fill('input[name=code]', '123456');
    await page.getByRole('button', { name: '验 证' }).click();
    await page.getByText('登录已超时或验证失败次数过多').waitFor();
    await page.context().close();
  });
});
