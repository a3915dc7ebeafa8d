import { chromium } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
const ctx = await browser.newContext({ baseURL: "http://127.0.0.1:8080" });
const page = await ctx.newPage();
await page.goto("/");
await page.getByLabel("手机号").fill("13900000001");
await page.getByLabel("密码").fill("minsheng-demo-2026");
await page.getByRole("button", { name: "登录" }).click();
await page.waitForTimeout(1500);
for (const route of ["/inbox","/issues","/deadlines","/stats","/bulletins","/ballots","/stations","/organisation/routing-rules","/notifications","/me"]) {
await page.goto("/console/#" + route); await page.waitForLoadState("networkidle"); await page.waitForTimeout(500);
const r = await new AxeBuilder({ page }).withTags(["wcag2a","wcag2aa"]).analyze();
for (const v of r.violations) for (const n of v.nodes.slice(0, 2)) console.log(route, v.id, v.impact, n.target.join(" "), n.any.map((a) => a.message).join(" | ").slice(0,200));
}
await page.goto("/console/#/issues"); await page.getByText("建筑垃圾长期堆放").click(); await page.waitForLoadState("networkidle"); await page.waitForTimeout(500);
{ const r = await new AxeBuilder({ page }).withTags(["wcag2a","wcag2aa"]).analyze();
for (const v of r.violations) for (const n of v.nodes.slice(0, 3)) console.log("issue", v.id, v.impact, n.target.join(" "), n.html.slice(0,120), n.any.map((a) => a.message).join(" | ").slice(0,200)); }
await browser.close();
