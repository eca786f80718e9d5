// 名录维护 in the console: a team is edited and deactivated from the 应急资源 page, and the import
// dialog offers the register's own template.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiPost, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

describe('名录维护', () => {
  test('a team is edited, then 停用 with a reason; the import dialog names the register', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'duty');
    await page.goto(`${server.base}/resources`);
    await page.getByRole('tab', { name: '救援队伍' }).click();
    const table = page.getByTestId('team-table');
    const first = table.locator('.el-table__body tr').first();
    await first.waitFor();
    await first.getByRole('button', { name: '编辑' }).click();
    const form = page.getByTestId('resource-form-team');
    await form.getByText('修改救援队伍').waitFor();
    await page.getByTestId('rf-name').fill('名录测试突击队');
    await page.getByTestId('rf-save').click();
    await table.getByText('名录测试突击队').waitFor();

    const row = table.locator('.el-table__body tr', { hasText: '名录测试突击队' });
    await row.getByRole('button', { name: '停用' }).click();
    const box = page.locator('.el-message-box');
    await box.getByText('请填写停用原因').waitFor();
    await box.locator('input').fill('队伍整编');
    await box.getByRole('button', { name: '停用' }).click();
    await row.getByText('已停用').waitFor();
    assert.equal(await row.getByRole('button', { name: '启用' }).count(), 1);
    await screenshot(page, 'registers-teams');

    await page.getByRole('button', { name: '导入' }).first().click();
    await page.getByText('批量导入救援队伍').waitFor();
    await screenshot(page, 'registers-import');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'registers-import-phone');
    await ctx.close();
  });

  test("a sensor threshold and a stock line's minimum are edited in their forms", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'enterprise');
    const r = await apiPost(page, '/api/v1/sensors', { code: 'REG-E2E', name: '名录液位', kind: 'level', unit: 'm', object_name: '储罐区', threshold_h: '17', offline_after_s: 300 });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await page.goto(`${server.base}/alarms`);
    await page.getByRole('tab', { name: '监测点' }).click();
    const row = page.locator('[data-testid=sensor-table] tr', { hasText: 'REG-E2E' });
    await row.getByRole('button', { name: '编辑' }).click();
    const form = page.locator('[data-testid=sensor-form]');
    await form.getByText('修改监测点').waitFor();
    assert.equal(await form.locator('[data-testid=sensor-code]').isDisabled(), true);
    await form.locator('[data-testid=sensor-h]').fill('15.5');
    await form.locator('[data-testid=sensor-save]').click();
    await row.getByText('15.5').waitFor();

    const duty = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
    await login(duty, server.base, 'duty');
    await duty.goto(`${server.base}/resources`);
    await duty.getByRole('tab', { name: '储备库与物资' }).click();
    const line = duty.getByTestId('stock-table').locator('.el-table__body tr').first();
    await line.waitFor();
    await line.getByRole('button', { name: '编辑' }).click();
    const dialog = duty.locator('.el-dialog', { hasText: '修改库存' });
    await dialog.waitFor();
    await dialog.locator('.el-input-number input').first().fill('999');
    await dialog.getByRole('button', { name: '保存' }).click();
    await line.getByText('下限 999').waitFor();
    await screenshot(duty, 'registers-stock-edited');
    await ctx.close();
    await duty.context().close();
  });
});
