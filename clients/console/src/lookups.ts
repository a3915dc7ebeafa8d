// Reference data several screens need (agencies, categories): fetched once per page load and shared, reloaded when a
// screen has just changed it.
import { ref, type Ref } from "vue";
import { api, must, type Schemas } from "./api/client";

function shared<T>(fetch: () => Promise<T[]>) {
  const list = ref([]) as Ref<T[]>;
  let pending: Promise<T[]> | null = null;
  /** The list, fetched on first use; `fresh` fetches it again. A failed fetch is tried again next time. */
  function load(fresh = false): Promise<T[]> {
    if (fresh || !pending) {
      pending = fetch()
        .then((items) => (list.value = items))
        .catch((e: unknown) => {
          pending = null;
          throw e;
        });
    }
    return pending;
  }
  return { list, load };
}

const query = { params: { query: { limit: 100 } } };

/** The agencies in the signed-in person's reach. */
export const agencies = shared(async () => (await must(api.GET("/api/v1/agencies", query))).items);

/** The deputies in reach: those a ballot's or an evaluation's roster is drawn from. */
export const deputies = shared(async () => (await must(api.GET("/api/v1/users", { params: { query: { role: "deputy", limit: 100 } } }))).items);

const categories = shared(async () => (await must(api.GET("/api/v1/categories", query))).items);

/** The categories, loaded on first use. */
export function useCategories() {
  void categories.load().catch(() => undefined);
  return categories.list;
}

export function categoryName(code: string | null | undefined): string {
  if (!code) return "—";
  return categories.list.value.find((c) => c.code === code)?.name ?? code;
}

type Region = Schemas["Region"];

/** The regions in reach of staff and admins, every page of them (a province holds a few thousand). */
export const regions = shared(async () => {
  const all: Region[] = [];
  let cursor: string | undefined;
  do {
    const page: Schemas["Page_Region"] = await must(api.GET("/api/v1/regions", { params: { query: { limit: 100, cursor } } }));
    all.push(...(page.items as Region[]));
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return all;
});

/** A region's name where the list knows it (its code otherwise): a clerk reads 凤山街道, not 330281001. */
export function regionName(code: string | null | undefined): string {
  if (!code) return "—";
  return regions.list.value.find((r) => r.code === code)?.name ?? code;
}

export interface RegionNode {
  code: string;
  name: string;
  children?: RegionNode[];
}

/** The regions as a tree, for a cascader: each under its parent; those whose parent is out of reach at the top. */
export function regionTree(list: Region[]): RegionNode[] {
  const nodes = new Map<string, RegionNode>(list.map((r) => [r.code, { code: r.code, name: r.name }]));
  const roots: RegionNode[] = [];
  for (const r of list) {
    const node = nodes.get(r.code)!;
    const parent = r.parent_code ? nodes.get(r.parent_code) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}
