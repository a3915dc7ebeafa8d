import { defineConfig, type Plugin } from "vite";
import uni from "@dcloudio/vite-plugin-uni";

// One source, two builds: `uni build` (H5, served by the minsheng binary at /m/) and `uni build -p mp-weixin`.
// The mini-program talks to the service named by MINSHENG_API_ORIGIN at build time (WeChat only calls whitelisted
// https hosts); the H5 pages talk to the origin that served them.
// uni-h5's stylesheet names images on DCloud's CDN (title-bar shadows): the pages' policy loads nothing from another
// host, so those rules lose their images here rather than being refused in the phone's browser.
const noForeignImages: Plugin = {
  name: "minsheng-no-foreign-images",
  enforce: "post",
  generateBundle(_, bundle) {
    for (const file of Object.values(bundle))
      if (file.type === "asset" && file.fileName.endsWith(".css"))
        file.source = String(file.source).replace(/url\(\s*["']?https?:\/\/[^)]*\)/g, "none");
  },
};

// uni-mp-weixin's runtime asks WeChat to preload an image from DCloud's CDN three seconds after launch, the host
// spelled with String.fromCharCode so that a search for it misses it. The mini-program reaches no host but the
// service: the call goes (checks/mp-weixin.mjs fails a build that still has it, or any other host).
const noBeacon: Plugin = {
  name: "minsheng-no-beacon",
  enforce: "post",
  generateBundle(_, bundle) {
    for (const file of Object.values(bundle))
      if (file.type === "chunk")
        file.code = file.code
          .replace(/if\(\w+\(wx\.preloadAssets\)\)/g, "if(!1)")
          .replace(/String\.fromCharCode\(([\d,\s]+)\)/g, (call, codes: string) =>
            /dcloud/.test(String.fromCharCode(...codes.split(",").map(Number))) ? '""' : call,
          );
  },
};

export default defineConfig({
  plugins: [uni(), noForeignImages, noBeacon],
  define: {
    // The subscribe-message templates the mini-program asks the citizen about (the ones the service is configured
    // with, MINSHENG_WECHAT_TEMPLATES there): a comma-separated list of template ids.
    __TEMPLATES__: JSON.stringify((process.env.MINSHENG_WECHAT_TEMPLATE_IDS ?? "").split(",").filter(Boolean)),
    __API_ORIGIN__: JSON.stringify(process.env.UNI_PLATFORM === "h5" ? "" : (process.env.MINSHENG_API_ORIGIN ?? "https://minsheng.example.gov.cn")),
  },
  build: {
    sourcemap: false,
    // The phone pages in one script (about 100 KB gzipped with every page): once they are open, moving between
    // them needs no signal, so a report can be kept and found again offline.
    rollupOptions: process.env.UNI_PLATFORM === "h5" ? { output: { inlineDynamicImports: true } } : {},
  },
});
