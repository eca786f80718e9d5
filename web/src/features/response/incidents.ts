// Shared by the incident pages: grade colours, the server's code lists, Beijing-time strings.
import { getIncidentMeta, type Casualties, type IncidentMeta } from './api';

export type { Casualties, IncidentMeta, Labelled, Subtype } from './api';

/** 特别重大/重大/较大/一般 = 红/橙/黄/蓝, as the plans colour their levels. */
export const SEVERITY_COLOURS: Record<string, string> = { extra_major: '#c62828', major: '#ef6c00', larger: '#f2b705', general: '#1e88e5' };
/** Ⅰ–Ⅳ级 response levels in the same colours (Ⅰ highest). */
export const RESPONSE_COLOURS: Record<number, string> = { 1: '#c62828', 2: '#ef6c00', 3: '#f2b705', 4: '#1e88e5' };
export const RESPONSE_LABELS: Record<number, string> = { 1: 'Ⅰ级', 2: 'Ⅱ级', 3: 'Ⅲ级', 4: 'Ⅳ级' };

export const CASUALTY_FIELDS: { key: keyof Casualties; label: string; unit: string }[] = [
  { key: 'deaths', label: '死亡', unit: '人' }, { key: 'missing', label: '失踪', unit: '人' },
  { key: 'serious_injuries', label: '重伤（含急性中毒）', unit: '人' }, { key: 'minor_injuries', label: '轻伤', unit: '人' },
  { key: 'trapped', label: '被困', unit: '人' }, { key: 'at_risk', label: '涉险', unit: '人' },
  { key: 'evacuated', label: '疏散转移', unit: '人' }, { key: 'loss_yuan', label: '直接经济损失', unit: '元' },
];

export const emptyCasualties = (): Casualties => ({ deaths: 0, missing: 0, serious_injuries: 0, minor_injuries: 0, trapped: 0, at_risk: 0, evacuated: 0, loss_yuan: 0 });

let meta: Promise<IncidentMeta> | null = null;
export function incidentMeta(): Promise<IncidentMeta> {
  meta ??= getIncidentMeta();
  return meta;
}

/** "2026-05-28 10:00:00" in Beijing time, which the server reads as +08:00 whatever the browser's zone. */
export function beijing(ms: number): string {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })
    .formatToParts(new Date(ms)).reduce<Record<string, string>>((a, x) => { a[x.type] = x.value; return a; }, {});
  return `${p.year}-${p.month}-${p.day} ${p.hour === '24' ? '00' : p.hour}:${p.minute}:${p.second}`;
}
