// In-app notifications (the bell in the shell).
import { api, type Schemas } from './http';

export type NotificationList = Schemas['NotificationList'];

/** How many notifications the caller has not read. */
export async function unreadCount(): Promise<number> {
  return (await api.get<NotificationList>('/api/v1/notifications?unread=true')).unread;
}
