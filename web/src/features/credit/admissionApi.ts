// 准入负面清单 / 禁限控目录: part of the district rules (credit_admission), edited with them.
import type { Schemas } from '../../kernel/http';

export type AdmissionEntry = Schemas['AdmissionEntry'];
export type AdmissionHit = Schemas['AdmissionHit'];

export const MATCH_OPTIONS = [
  { value: 'industry', label: '国民经济行业（代码前缀）' },
  { value: 'category', label: '监管类别' },
  { value: 'process', label: '工艺/关键词' },
];
export const KIND_OPTIONS = [
  { value: 'prohibited', label: '禁止' },
  { value: 'restricted', label: '限制' },
  { value: 'controlled', label: '控制' },
];
export const KIND_TAGS: Record<string, 'danger' | 'warning' | 'info'> = { prohibited: 'danger', restricted: 'warning', controlled: 'info' };

/** The strongest kind among the hits (禁止 > 限制 > 控制), for one tag per enterprise. */
export function strongest(hits: AdmissionHit[] | undefined): AdmissionHit | null {
  if (!hits?.length) return null;
  const order = ['prohibited', 'restricted', 'controlled'];
  return [...hits].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))[0];
}
