import { createApp, watch } from "vue";
import "element-plus/dist/index.css";
import "./style.css";
import App from "./App.vue";
import { useElements } from "./elements";
import { router } from "./router";
import { restore, session } from "./session";

await restore();
const app = createApp(App);
useElements(app);
app.use(router);
// A session that ends (signed out elsewhere, disabled, expired) leads back to the sign-in page at once.
watch(
  () => session.me,
  (me) => {
    if (!me && !router.currentRoute.value.meta.open) void router.push({ path: "/sign-in" });
  },
);
app.mount("#app");
