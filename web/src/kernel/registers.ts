// 名录维护 shared by the register pages: 停用 (with a reason, kept in the audit log) and 启用.
import { ElMessage, ElMessageBox } from 'element-plus';
import { api, ApiError } from './http';

export type Register = 'teams' | 'experts' | 'warehouses' | 'stock' | 'shelters' | 'sensors' | 'protected-objects';

/** Asks for a reason (deactivating) or a confirmation (reactivating), then applies it. True when done. */
export async function toggleActive(register: Register, row: { id: string; active: boolean }, name: string): Promise<boolean> {
  try {
    let reason = '';
    if (row.active) {
      const r = await ElMessageBox.prompt(`停用后“${name}”保留在名录和历史记录中，但不再被检索、调派或使用。请填写停用原因：`, '停用', {
        confirmButtonText: '停用', cancelButtonText: '取消', inputPattern: /\S/, inputErrorMessage: '请填写停用原因',
      });
      reason = r.value;
    } else {
      await ElMessageBox.confirm(`重新启用“${name}”？`, '启用', { confirmButtonText: '启用', cancelButtonText: '取消' });
    }
    await api.put(`/api/v1/registers/${register}/${row.id}/active`, { active: !row.active, reason });
    ElMessage.success(row.active ? '已停用' : '已启用');
    return true;
  } catch (e) {
    if (e instanceof ApiError) ElMessage.error(e.message);
    return false;
  }
}
