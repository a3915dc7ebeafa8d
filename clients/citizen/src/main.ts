import { createSSRApp } from "vue";
import App from "./App.vue";
// #ifdef H5
import { installA11y } from "./lib/a11y";
// #endif

export function createApp() {
  const app = createSSRApp(App);
  // #ifdef H5
  if (typeof document !== "undefined") installA11y();
  // #endif
  return { app };
}
