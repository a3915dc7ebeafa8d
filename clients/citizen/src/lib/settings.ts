// 适老化: a large-text mode, kept on the phone. Every page's root takes `pageClass()`; sizes below it are in em.
import { reactive } from "vue";

const KEY = "minsheng.large";
const state = reactive({ large: uni.getStorageSync(KEY) === true });

export const settings = {
  get large() {
    return state.large;
  },
  toggle() {
    state.large = !state.large;
    uni.setStorageSync(KEY, state.large);
  },
};

export function pageClass(): string[] {
  return ["page", state.large ? "large" : "normal"];
}
