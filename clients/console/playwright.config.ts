import { defineConfig } from "@playwright/test";

// The console against the real service (tests/tests/service/console.rs starts it on real PostgreSQL and Redis, loads
// the demo county at work, and runs these with MINSHENG_URL set). The browser is Debian's Chromium.
export default defineConfig({
  testDir: "e2e",
  outputDir: process.env.PLAYWRIGHT_OUTPUT ?? "test-results",
  // The flows share one service and its county: one after another.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: process.env.MINSHENG_URL ?? "http://127.0.0.1:8080",
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    viewport: { width: 1366, height: 860 },
    testIdAttribute: "data-test",
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox"],
    },
  },
});
