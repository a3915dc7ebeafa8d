/// <reference types="@dcloudio/types" />
declare const __API_ORIGIN__: string;
declare const __TEMPLATES__: string[];
declare module "*.vue" {
  import type { DefineComponent } from "vue";
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
// WeChat's own API where uni-app has no wrapper (the privacy check).
declare const wx: {
  requirePrivacyAuthorize?: (o: { success?: () => void; fail?: (e: unknown) => void }) => void;
};
