// Lookups shared by the forms: the 街道 / 社区 / 网格 cascader and the enterprise search.
import type { CascaderProps } from 'element-plus';
import { api, qs, type List, type Schemas } from './http';

type RegionRow = Schemas['Region'];

/** A lazy cascader over the caller's regions, starting below the district so the path reads 街道 / 社区 / 网格. */
export const regionCascader: CascaderProps = {
  lazy: true,
  checkStrictly: false,
  async lazyLoad(node, resolve) {
    const parent = node.level === 0 ? undefined : (node.value as string);
    const rows = (await api.get<List<RegionRow>>(`/api/v1/regions${qs(parent ? { parent } : { roots: true })}`)).items;
    if (!parent && rows.length === 1 && rows[0].level === 'district') {
      const streets = (await api.get<List<RegionRow>>(`/api/v1/regions${qs({ parent: rows[0].code })}`)).items;
      return resolve(streets.map((r) => ({ value: r.code, label: r.name, leaf: r.level === 'grid' || r.child_count === 0 })));
    }
    resolve(rows.map((r) => ({ value: r.code, label: r.name, leaf: r.level === 'grid' || r.child_count === 0 })));
  },
};

/** Enterprises whose name or code matches `q`, for a remote select (at most 20). */
export async function searchEnterprises(q: string): Promise<{ id: string; name: string }[]> {
  if (!q.trim()) return [];
  return (await api.get<List<Schemas['Enterprise']>>(`/api/v1/enterprises${qs({ q, page_size: 20 })}`)).items;
}
