import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

// Served by the minsheng binary at /console/. Everything the page needs is in dist/: no font, icon, style or
// script from another host, so the console works on an intranet without internet.
export default defineConfig({
  base: "/console/",
  plugins: [vue()],
  resolve: {
    alias: { crypto: fileURLToPath(new URL("./src/shims/no-node-crypto.ts", import.meta.url)) },
  },
  build: {
    // No inline script or style: the Content-Security-Policy allows neither.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (id.includes("node_modules/echarts") || id.includes("node_modules/zrender")) return "charts";
          if (id.includes("node_modules/leaflet")) return "map";
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:8080" },
  },
});
