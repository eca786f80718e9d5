// In-app notifications (the bell in the shell and the 消息中心).
import { api, qs, type Schemas } from './http';

export type NotificationList = Schemas['NotificationList'];
export type Notification = Schemas['Notification'];

/** The kinds the 消息中心 tabs by (server: core::kernel::notify::NOTIFICATION_KINDS). */
export const NOTIFICATION_KINDS = [
  { value: 'hazard', label: '隐患' }, { value: 'alarm', label: '报警' }, { value: 'work_order', label: '响应工单' },
  { value: 'incident', label: '突发事件' }, { value: 'warning', label: '预警' },
];

/** How many notifications the caller has not read. */
export async function unreadCount(): Promise<number> {
  return (await api.get<NotificationList>('/api/v1/notifications?unread=true')).unread;
}

/** The latest notifications, unread first; `kind` narrows to one kind. */
export const listNotifications = (kind?: string) => api.get<NotificationList>(`/api/v1/notifications${qs({ kind: kind || undefined })}`);
/** Marks one read, or every one with `all`. */
export const markRead = (id: string | 'all') => api.post<void>(`/api/v1/notifications/${id}/read`, {});

/** The bell tells other parts of the shell when the count changed (after marking read). */
export const unreadChanged = new EventTarget();
