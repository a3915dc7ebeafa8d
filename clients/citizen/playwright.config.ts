import { defineConfig, devices } from "@playwright/test";

// The citizens' phone pages (the H5 build) against the real service: tests/tests/service/citizen_app.rs starts it on
// real PostgreSQL and Redis with the WeChat and SMS stand-ins, loads the demo county at work, and runs these with
// MINSHENG_URL, SMS_INBOX and the scenes set. The browser is Debian's Chromium, as a phone.
export default defineConfig({
  testDir: "e2e",
  outputDir: process.env.PLAYWRIGHT_OUTPUT ?? "test-results",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    ...devices["Pixel 7"],
    baseURL: process.env.MINSHENG_URL ?? "http://127.0.0.1:8080",
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    // 凤山街道, as the phone's GPS gives it (WGS-84).
    geolocation: { latitude: 30.0411, longitude: 121.1519 },
    permissions: ["geolocation"],
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox"],
    },
  },
});
