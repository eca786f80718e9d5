// Links from the 工作台 and the 消息中心 name a record with `?id=` on its list page
// (`/hazards?id=…`, `/alarms?id=…`, `/work-orders?id=…`, `/warnings?id=…`,
// `/resources?tab=orders&id=…`); the page opens that record's detail.
import { watch } from 'vue';
import { useRoute } from 'vue-router';
import { ElMessage } from 'element-plus';
import { ApiError } from './http';

/**
 * Calls `open` with the address's `?id=` when the page opens and whenever the address names
 * another record; a record that is gone or out of the user's area says so (the server's words).
 */
export function useLinkedRecord(open: (id: string) => unknown) {
  const route = useRoute();
  watch(() => route.query.id, async (id) => {
    if (typeof id !== 'string' || !id) return;
    try {
      await open(id);
    } catch (e) {
      if (e instanceof ApiError && e.status !== 401) ElMessage.error(e.message);
    }
  }, { immediate: true });
}
