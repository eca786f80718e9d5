// Browser tests of 三员分立 (ADR 0029): the 系统管理员 keeps business accounts and has no audit log;
// the 安全保密管理员 changes roles, resets passwords and edits the 安全策略; the 安全审计员 sees only
// the audit log, which shows the security administrator's permission change. None of these
// sessions makes a request the server refuses with 403 (the shell's polling included); axe-core
// runs on each page, screenshots at desktop and 390 px.
//
// E2E_LOCAL_DIST=1 serves the console from web/dist instead of the copy embedded in the binary
// (harness.mjs; to test the console before the binary is rebuilt with it).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, accessible, screenshot, settled, startBrowser, startServer, totp } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
/** A context with downloads (E2E_LOCAL_DIST: the harness serves web/dist). */
async function context(viewport) {
  return browser.newContext({ viewport, locale: 'zh-CN', isMobile: viewport === PHONE, hasTouch: viewport === PHONE, acceptDownloads: true });
}

/** A signed-in page that records every 403 the console's own requests get (probes are marked). */
async function session(username, viewport = DESKTOP) {
  const ctx = await context(viewport);
  const page = await ctx.newPage();
  const refused = [];
  page.on('response', (r) => {
    if (r.status() === 403 && !r.request().headers()['x-e2e-probe']) refused.push(`${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  await page.goto(`${server.base}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  return { ctx, page, refused };
}

/** A request the test makes on purpose (its refusal is the point, not the console's). */
async function probe(page, method, url, body) {
  return page.evaluate(async ([m, u, b]) => {
    const r = await fetch(u, { method: m, headers: { 'content-type': 'application/json', 'x-e2e-probe': '1' }, body: b === undefined ? undefined : JSON.stringify(b) });
    return { status: r.status, body: await r.json().catch(() => null) };
  }, [method, url, body]);
}

async function getJson(page, url) {
  return page.evaluate(async (u) => (await fetch(u)).json(), url);
}

/** The menu's entries as shown (desktop aside: groups opened). */
async function menuTexts(page) {
  return (await page.getByTestId('menu').first().locator('.el-menu-item, .el-sub-menu__title').allTextContents()).map((s) => s.trim()).filter(Boolean);
}

/** The row of a user in the table. */
const row = (page, username) => page.getByTestId('users').locator('.el-table__body tr', { hasText: username }).first();

/** The user form's role select is disabled. */
async function roleFixed(page) {
  const fixed = page.locator('[data-testid=user-form] [data-testid=role] .el-select__wrapper.is-disabled');
  await fixed.waitFor({ timeout: 5000 }).catch(() => undefined);
  return (await fixed.count()) === 1;
}

async function pick(page, select, option) {
  await select.click();
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: option }).first().click();
}

describe('三员分立', () => {
  test('the system administrator: business accounts only, no audit log, no role change', async () => {
    const { ctx, page, refused } = await session('admin');
    await page.waitForURL(/\/workbench/);
    await settled(page);
    const menu = await menuTexts(page);
    assert.ok(menu.includes('用户管理'), menu.join(' '));
    assert.ok(!menu.includes('审计日志') && !menu.includes('安全策略'), menu.join(' '));
    await page.goto(`${server.base}/audit`);
    await page.waitForURL(/\/workbench/);

    await page.goto(`${server.base}/users`);
    await row(page, 'commander').waitFor();
    assert.equal(await page.getByRole('button', { name: '解锁' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: '重置密码' }).count(), 0);
    // An administrator's account is not the system administrator's to edit.
    await row(page, 'auditor').getByText('由安全保密管理员管理').waitFor();
    await accessible(page, 'users (admin)');
    await screenshot(page, 'admins-users-admin-desktop');

    // 新增: business roles only.
    await page.getByTestId('new-user').click();
    await page.getByTestId('role').click();
    await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '网格员' }).waitFor();
    const options = await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').allInnerTexts();
    assert.ok(options.includes('网格员') && !options.some((o) => /安全审计员|安全保密管理员|系统管理员/.test(o)), options.join(' '));
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: '取消' }).click();

    // 编辑: name, phone and 启用; the role is read-only with the hint.
    await row(page, 'duty').getByRole('button', { name: '编辑' }).click();
    await page.getByTestId('role-hint').getByText('角色和管辖范围由安全保密管理员变更').waitFor();
    assert.ok(await roleFixed(page), 'the role is read-only');
    await settled(page);
    await screenshot(page, 'admins-users-admin-edit');
    await page.fill('input[name=phone]', '13900001111');
    await page.getByTestId('save-user').click();
    await page.getByText('已保存').waitFor();
    await screenshot(page, 'admins-users-admin-saved');

    // The server refuses a role change by the system administrator, in words.
    const duty = (await getJson(page, '/api/v1/users?q=duty')).items.find((u) => u.username === 'duty');
    const r = await probe(page, 'PUT', `/api/v1/users/${duty.id}`, { username: duty.username, display_name: duty.display_name, phone: duty.phone, role: 'commander', region_code: duty.region_code, active: true });
    assert.equal(r.status, 403);
    assert.match(r.body.message, /安全保密管理员/);
    assert.deepEqual(refused, []);
    await ctx.close();
  });

  test('the security administrator: roles, a password reset, the policy; nothing else', async () => {
    const { ctx, page, refused } = await session('secadmin');
    await page.waitForURL(/\/users/);
    await row(page, 'duty').waitFor();
    await settled(page);
    const menu = await menuTexts(page);
    assert.deepEqual(menu.filter((m) => m !== '系统管理'), ['用户管理', '安全策略', '账号安全'], menu.join(' '));
    assert.equal(await page.getByTestId('bell').count(), 0, 'no 消息中心 for this role');
    assert.equal(await page.getByTestId('new-user').count(), 0, 'no 新增');
    await accessible(page, 'users (secadmin)');
    await screenshot(page, 'admins-users-secadmin-desktop');

    // The last 安全审计员 stays: the refusal shows in the form.
    await row(page, 'auditor').getByRole('button', { name: '编辑' }).click();
    await pick(page, page.getByTestId('role'), '系统管理员');
    await page.getByTestId('save-user').click();
    await page.getByTestId('form-error').getByText('不能移除最后一位在用的安全审计员').waitFor();
    await screenshot(page, 'admins-users-secadmin-refused');
    await page.getByRole('button', { name: '取消' }).click();

    // 值班员 → 局长（指挥长）: a permission change; then the scope of 网格员 moves to a street.
    await row(page, 'duty').getByRole('button', { name: '编辑' }).click();
    await pick(page, page.getByTestId('role'), '指挥长');
    await page.getByTestId('save-user').click();
    await page.getByText('已保存').waitFor();
    await row(page, 'duty').getByText('指挥长').first().waitFor();
    await row(page, 'grid').getByRole('button', { name: '编辑' }).click();
    await page.getByTestId('region').click();
    await page.getByTestId('region').locator('input').fill('甘棠');
    await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '甘棠街道' }).first().click();
    await settled(page);
    await screenshot(page, 'admins-users-secadmin-scope');
    await page.getByTestId('save-user').click();
    await row(page, 'grid').getByText('甘棠街道').waitFor();

    // 法制审核员 → 企业用户: the enterprise is found by name through the narrow lookup
    // (GET /api/v1/security/bindings: id, name, street), not typed as a number.
    await row(page, 'fzsh').getByRole('button', { name: '编辑' }).click();
    await pick(page, page.getByTestId('role'), '企业用户');
    const found = page.waitForResponse((r) => r.url().includes('/api/v1/security/bindings?kind=enterprise') && decodeURIComponent(r.url()).includes('q=公司'));
    await page.getByTestId('enterprise').click();
    await page.getByTestId('enterprise').locator('input').fill('公司');
    assert.equal((await found).status(), 200);
    await settled(page);
    const option = page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { has: page.locator('.option-region') }).first();
    await option.waitFor();
    const name = (await option.locator('span').first().innerText()).trim();
    assert.ok((await option.locator('.option-region').innerText()).trim(), 'the street tells names apart');
    await settled(page);
    await screenshot(page, 'admins-users-secadmin-binding');
    await option.click();
    // axe-core with the list closed (Element Plus's open dropdown is a known axe finding).
    await settled(page);
    await accessible(page, 'the binding dialog (secadmin)');
    await page.getByTestId('save-user').click();
    await page.getByText('已保存').first().waitFor();
    await row(page, 'fzsh').getByText(name).first().waitFor();

    // Own row: the role and 启用 are fixed; no reset or unlock of oneself.
    await row(page, 'secadmin').getByRole('button', { name: '编辑' }).click();
    assert.ok(await roleFixed(page), 'no change of the own role');
    await page.getByRole('button', { name: '取消' }).click();
    assert.equal(await row(page, 'secadmin').getByRole('button', { name: '重置密码' }).count(), 0);

    // 重置密码: a weak one is refused under the input, a good one accepted.
    await page.getByTestId('reset-street').click();
    const box = page.locator('.el-message-box');
    await box.locator('input').fill('abcdefgh');
    await box.getByRole('button', { name: /确定|OK/ }).click();
    await box.locator('.el-message-box__errormsg').filter({ hasText: /密码/ }).waitFor();
    await screenshot(page, 'admins-reset-refused');
    await box.locator('input').fill('Temp@2026x');
    await box.getByRole('button', { name: /确定|OK/ }).click();
    await page.getByText('已重置').waitFor();
    await row(page, 'street').getByText('待改密').waitFor();
    await page.getByTestId('unlock-street').click();
    await page.getByText('已解除').waitFor();

    // 安全策略: a bad value is named at its field; a good one is a new version.
    await page.getByTestId('menu').getByText('安全策略').click();
    await page.waitForURL(/\/security\/policy/);
    await page.getByTestId('policy-form').waitFor();
    const before = (await getJson(page, '/api/v1/security/policy')).version;
    const minLength = page.getByTestId('policy-min_length').locator('input');
    await minLength.fill('4');
    await minLength.blur();
    await page.getByTestId('save-policy').click();
    await page.locator('.el-form-item__error', { hasText: '密码最短长度应为8至64' }).waitFor();
    await screenshot(page, 'admins-policy-error');
    await minLength.fill('10');
    await minLength.blur();
    await page.getByTestId('policy-factor-roles').getByText('值班员').click();
    await page.getByTestId('save-policy').click();
    await page.getByText('策略已保存').waitFor();
    const after = await getJson(page, '/api/v1/security/policy');
    assert.equal(after.version, before + 1);
    assert.equal(after.policy.min_length, 10);
    assert.deepEqual(after.policy.second_factor_roles, ['duty_officer']);
    await page.getByTestId('policy-changed').getByText('secadmin').waitFor();
    await accessible(page, 'policy (secadmin)');
    await screenshot(page, 'admins-policy-desktop');

    await page.goto(`${server.base}/account`);
    await page.getByText('修改密码').first().waitFor();
    await accessible(page, 'account (secadmin)');
    await screenshot(page, 'admins-account-secadmin');
    // Business pages send the security administrator to 用户管理, without calling their APIs.
    for (const p of ['/workbench', '/map', '/messages', '/audit', '/hazards']) {
      await page.goto(`${server.base}${p}`);
      await page.waitForURL(/\/users/);
    }
    await settled(page);
    assert.deepEqual(refused, []);
    await ctx.close();
  });

  test('the auditor: only the audit log, which shows the permission change', async () => {
    const { ctx, page, refused } = await session('auditor');
    await page.waitForURL(/\/audit/);
    await page.locator('.el-table__body tr').first().waitFor();
    await settled(page);
    const menu = await menuTexts(page);
    assert.deepEqual(menu.filter((m) => m !== '系统管理'), ['审计日志', '账号安全'], menu.join(' '));
    assert.equal(await page.getByTestId('bell').count(), 0);
    await page.locator('input[placeholder=摘要包含]').fill('变更用户');
    await page.getByRole('button', { name: '查询' }).click();
    const hit = page.locator('.el-table__body tr', { hasText: '变更用户“duty”的角色' }).first();
    await hit.waitFor();
    assert.match(await hit.innerText(), /secadmin|安全保密管理员/);
    assert.match(await hit.innerText(), /变更角色或管辖范围/);
    await page.getByRole('button', { name: '校验审计链' }).click();
    await page.getByText('审计链完整').waitFor();
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /导出/ }).click()]);
    assert.match(dl.suggestedFilename(), /审计日志/);
    await accessible(page, 'audit (auditor)');
    await screenshot(page, 'admins-audit-auditor-desktop');
    for (const p of ['/workbench', '/users', '/security/policy', '/messages']) {
      await page.goto(`${server.base}${p}`);
      await page.waitForURL(/\/audit/);
    }
    await page.goto(`${server.base}/account`);
    await page.getByText('修改密码').first().waitFor();
    await accessible(page, 'account (auditor)');
    await settled(page);
    assert.deepEqual(refused, []);
    await ctx.close();
  });

  test('on a 390 px phone: the security administrator binds an insurer account by name', async () => {
    const { ctx, page, refused } = await session('secadmin', PHONE);
    await page.waitForURL(/\/users/);
    await row(page, 'zfry3').getByRole('button', { name: '编辑' }).click();
    await pick(page, page.getByTestId('role'), '保险机构人员');
    await page.getByTestId('insurer').click();
    const option = page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '财产保险' }).first();
    await option.waitFor();
    await settled(page);
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= PHONE.width, `${w} px wide`);
    await screenshot(page, 'admins-users-secadmin-binding-phone');
    await option.click();
    await settled(page);
    await accessible(page, 'the binding dialog (secadmin, phone)');
    await page.getByTestId('save-user').click();
    await page.getByText('已保存').first().waitFor();
    assert.deepEqual(refused, []);
    await ctx.close();
  });

  test('on a 390 px phone: each administrator page, no 403', async () => {
    for (const [user, pages] of [['admin', ['/users']], ['secadmin', ['/users', '/security/policy', '/account']], ['auditor', ['/audit', '/account']]]) {
      const { ctx, page, refused } = await session(user, PHONE);
      await page.waitForURL(/\/(workbench|users|audit)/);
      for (const p of pages) {
        await page.goto(`${server.base}${p}`);
        await settled(page);
        await accessible(page, `${p} (${user}, phone)`);
        const w = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(w <= PHONE.width, `${p} (${user}): ${w} px wide`);
        await screenshot(page, `admins-${user}-phone${p.replace(/\//g, '-')}`);
      }
      await page.getByTestId('menu-toggle').click();
      await page.getByTestId('menu-drawer').waitFor();
      await settled(page);
      await screenshot(page, `admins-${user}-phone-menu`);
      assert.deepEqual(refused, [], user);
      await ctx.close();
    }
  });
});


describe('三员分立 where the node enforces the second factor', () => {
  let enforcing;
  before(async () => { enforcing = await startServer([], { YINGJI_SECURITY__SECOND_FACTOR_ENFORCED: 'true' }); });
  after(() => enforcing?.stop());

  test('the auditor binds a TOTP first; until then the console stays on the account page, no 403', async () => {
    const ctx = await context(DESKTOP);
    const page = await ctx.newPage();
    const refused = [];
    page.on('response', (r) => { if (r.status() === 403) refused.push(`${r.request().method()} ${new URL(r.url()).pathname}`); });
    await page.goto(`${enforcing.base}/login`);
    await page.fill('input[name=username]', 'auditor');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/account/);
    await page.getByText('请先绑定动态口令').waitFor();
    for (const p of ['/audit', '/users', '/workbench']) {
      await page.goto(`${enforcing.base}${p}`);
      await page.waitForURL(/\/account/);
    }
    await page.getByRole('button', { name: '绑定动态口令' }).click();
    const secret = await page.locator('[data-test=totp-secret]').innerText();
    await page.fill('input[name=totp_code]', totp(secret, Date.now()));
    await page.getByRole('button', { name: '确认绑定' }).click();
    await page.locator('[data-test=recovery-codes] code').first().waitFor();
    await page.goto(`${enforcing.base}/audit`);
    await page.waitForURL(/\/audit/);
    await page.locator('.el-table__body tr').first().waitFor();
    await settled(page);
    assert.deepEqual(refused, []);
    await ctx.close();
  });
});
