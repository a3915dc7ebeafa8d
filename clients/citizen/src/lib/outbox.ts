// A report made without signal is kept on the phone, with its photos and its Idempotency-Key, and sent once the
// network returns: the key makes a send that got through but lost its answer harmless.
import { reactive } from "vue";
import type { components } from "../api/schema";
import { api, Offline } from "../api/client";
import { upload } from "./device";

type Report = components["schemas"]["Report"];
export type Queued = { key: string; report: Report; photos: string[]; at: number; error?: string };

const KEY = "minsheng.outbox";
const state = reactive<{ items: Queued[]; sending: boolean }>({
  items: (uni.getStorageSync(KEY) as Queued[] | "") || [],
  sending: false,
});

function save() {
  uni.setStorageSync(KEY, state.items);
}

export const outbox = {
  get items(): Queued[] {
    return state.items;
  },
  add(q: Queued) {
    state.items.push(q);
    save();
  },
  /** Sends what waits, oldest first; stops at the first that finds no network. Answers how many went. */
  async flush(): Promise<number> {
    if (state.sending) return 0;
    state.sending = true;
    let sent = 0;
    try {
      for (const q of [...state.items]) {
        if (q.error) continue;
        try {
          const photos = [];
          for (const p of q.photos) photos.push((await upload(p)).id);
          const r = await api.POST("/api/v1/issues", {
            body: { ...q.report, photo_ids: photos },
            idempotencyKey: q.key,
          });
          if (r.error && r.status >= 500) break;
          if (r.error) q.error = r.error.detail ?? r.error.title;
          else sent++;
          state.items = state.items.filter((i) => i.key !== q.key || q.error);
          save();
        } catch (e) {
          if (e instanceof Offline) break;
          q.error = (e as Error).message;
          save();
        }
      }
    } finally {
      state.sending = false;
    }
    return sent;
  },
};

export function newKey(): string {
  const r = () => Math.random().toString(36).slice(2, 10);
  return `report-${Date.now().toString(36)}-${r()}${r()}`;
}
