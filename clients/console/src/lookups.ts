// Reference data screens show by name: fetched once per page load and shared.
import { ref } from "vue";
import { api, type Schemas } from "./api/client";

const categories = ref<Schemas["Category"][]>([]);
let loading: Promise<unknown> | null = null;

/** The categories, loaded on first use. */
export function useCategories() {
  loading ??= api.GET("/api/v1/categories", { params: { query: { limit: 100 } } }).then(({ data }) => {
    categories.value = (data?.items ?? []) as Schemas["Category"][];
  });
  return categories;
}

export function categoryName(code: string | null | undefined): string {
  if (!code) return "—";
  return categories.value.find((c) => c.code === code)?.name ?? code;
}
