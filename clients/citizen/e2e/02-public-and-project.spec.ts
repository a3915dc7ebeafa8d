// 结果网上评 without signing in, and 码上监督: a project's code opens its page; the citizen who scanned it rates and
// comments.
import { test, expect } from "@playwright/test";
import { PROJECT_SCENE, accessible, phoneFor, screenshot, signInByText, tokenOf, watchPolicy } from "./support";

test("the public results are read without signing in, searched by category, each with its reply", async ({ page, request }) => {
  const refused = watchPolicy(page);
  await page.goto("/m/#/pages/results/index");
  await expect(page.getByRole("heading", { name: "办理结果" })).toBeVisible();
  const items = page.locator(".list-item[role=link]");
  await expect(items.first()).toBeVisible();
  // The same data as the public API: the first result is its first.
  const api = await (await request.get("/api/v1/public/issues?limit=20")).json();
  await expect(items).toHaveCount(api.items.length);
  await screenshot(page, "citizen-results");

  await page.getByRole("radio", { name: "路灯照明" }).click();
  const lights = await (await request.get("/api/v1/public/issues?category=streetlight&limit=20")).json();
  await expect(items).toHaveCount(lights.items.length);
  if (lights.items.length) {
    await items.first().click();
    await expect(page.getByText(/答复$/).first()).toBeVisible();
    await expect(page.getByText(lights.items[0].number, { exact: false })).toBeVisible();
  }
  expect(refused).toEqual([]);
});

test("a project's code opens its page; the citizen who scanned it rates it and comments", async ({ page, request }) => {
  const refused = watchPolicy(page);
  await page.goto(`/s/${PROJECT_SCENE}`);
  await page.getByRole("button", { name: "码上监督 · 看进度" }).click();
  await expect(page.getByText("项目节点")).toBeVisible();
  await expect(page.locator(".list-item .tag").first()).toBeVisible();
  await screenshot(page, "citizen-project");
  await accessible(page, "project");

  await page.getByRole("radio", { name: "5星" }).click();
  await signInByText(page, request, phoneFor(3));
  await page.getByRole("radio", { name: "5星" }).click();
  await expect(page.getByText("感谢您的评价")).toBeVisible();
  const words = `电梯装好后老人上下楼方便多了（${Date.now() % 100000}）`;
  await page.getByLabel("留言").fill(words);
  await page.getByRole("button", { name: "发表留言" }).click();
  await expect(page.getByText(/留言已发布|审核后公开/)).toBeVisible();

  const id = new URL(page.url().replace("#", "")).searchParams.get("id") ?? "";
  const project = await (await request.get(`/api/v1/public/projects/${id}`)).json();
  expect(project.stars.ratings).toBeGreaterThan(0);
  const token = await tokenOf(page);
  expect(token).not.toBe("");
  expect(refused).toEqual([]);
});

test("the pages' script arrives gzipped and is kept for a year; the page itself is asked again each time", async ({ request }) => {
  const page = await request.get("/m/");
  expect(page.headers()["cache-control"]).toBe("no-cache");
  const script = /src="(\/m\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1] ?? "";
  expect(script).not.toBe("");
  const r = await request.get(script, { headers: { "Accept-Encoding": "gzip" } });
  expect(r.status()).toBe(200);
  expect(r.headers()["content-encoding"]).toBe("gzip");
  expect(r.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
});

test("in large-text mode every page passes axe with no critical or serious violation", async ({ page }) => {
  await page.goto("/m/#/pages/home/index");
  await page.getByRole("switch", { name: "大字模式" }).click();
  await accessible(page, "home");
  await screenshot(page, "citizen-home-large");
  for (const [route, name] of [
    ["/pages/results/index", "results"],
    ["/pages/signin/index", "sign-in"],
  ]) {
    await page.goto(`/m/#${route}`);
    await page.waitForLoadState("networkidle");
    await accessible(page, name);
  }
  await page.goto(`/s/${PROJECT_SCENE}`);
  await expect(page.getByRole("button", { name: "码上监督 · 看进度" })).toBeVisible();
  await accessible(page, "scene");
});
