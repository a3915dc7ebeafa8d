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
export const agencies = shared(async () => (await must(api.GET("/api/v1/agencies", query))).items as Schemas["Agency"][]);

const categories = shared(async () => (await must(api.GET("/api/v1/categories", query))).items as Schemas["Category"][]);

/** The categories, loaded on first use. */
export function useCategories() {
  void categories.load().catch(() => undefined);
  return categories.list;
}

export function categoryName(code: string | null | undefined): string {
  if (!code) return "—";
  return categories.list.value.find((c) => c.code === code)?.name ?? code;
}
