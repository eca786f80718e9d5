import { api } from './http';
// The one way the console writes dates, times and words for codes: YYYY-MM-DD HH:mm in
// Asia/Shanghai whatever the browser's zone, region names instead of codes, escalation steps and
// measurements in words a user reads.

const PARTS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
});

function parts(t: number | string | null | undefined): Record<string, string> | null {
  if (t === null || t === undefined || t === '') return null;
  const d = typeof t === 'number' ? new Date(t) : new Date(t);
  if (Number.isNaN(d.getTime())) return null;
  const out: Record<string, string> = {};
  for (const p of PARTS.formatToParts(d)) out[p.type] = p.value;
  if (out.hour === '24') out.hour = '00';
  return out;
}

/** "2026-05-28 10:00" (ms or an RFC 3339 string), Beijing time. */
export function formatTime(t: number | string | null | undefined): string {
  const p = parts(t);
  return p ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}` : '';
}

/** "2026-05-28", Beijing time. */
export function formatDate(t: number | string | null | undefined): string {
  const p = parts(t);
  return p ? `${p.year}-${p.month}-${p.day}` : '';
}

/** "10:00", Beijing time. */
export function formatClock(t: number | string | null | undefined): string {
  const p = parts(t);
  return p ? `${p.hour}:${p.minute}` : '';
}

/** "05-28 10:00": month, day and minute in Beijing time, for dense lists. */
export function formatShort(t: number | string | null | undefined): string {
  const p = parts(t);
  return p ? `${p.month}-${p.day} ${p.hour}:${p.minute}` : '';
}

/** "已通知第1级（共4级）：网格员" for escalation step `fired` of `total` (`who`: the step's audience). */
export function escalationText(fired: number, total: number, who?: string): string {
  if (!total) return '无逐级通知';
  if (!fired) return `尚未通知（共${total}级）`;
  return `已通知第${fired}级（共${total}级）${who ? `：${who}` : ''}`;
}

/** 提醒函 / 通知书 / 约谈 for the enforcement kinds. */
export const ENFORCEMENT_KINDS: Record<string, string> = { letter: '提醒函', notice: '通知书', interview: '约谈' };

const regionNames = new Map<string, Promise<string>>();
/** The name of a region (甘棠街道) for its code; the code's level when it cannot be read. */
export function regionName(code: string | null | undefined): Promise<string> {
  if (!code) return Promise.resolve('');
  if (!regionNames.has(code)) {
    regionNames.set(code, api.get<{ name: string }>(`/api/v1/regions/${encodeURIComponent(code)}`).then((r) => r.name).catch(() => '本辖区'));
  }
  return regionNames.get(code)!;
}
