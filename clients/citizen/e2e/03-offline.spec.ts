// A report made without signal is kept on the phone and sent once when the network returns.
import { test, expect } from "@playwright/test";
import { STATION_SCENE, phoneFor, signInByText, tokenOf } from "./support";

test("a report made offline is kept, then sent once when the network is back", async ({ page, context, request }) => {
  await page.goto(`/s/${STATION_SCENE}`);
  await page.getByRole("button", { name: /反映问题/ }).click();
  await signInByText(page, request, phoneFor(4));
  await expect(page.getByRole("button", { name: "提交反映" })).toBeVisible();
  const words = `桥下涵洞积水很深，车辆无法通行（${Date.now() % 100000}）`;
  await page.getByLabel("问题描述").fill(words);

  await context.setOffline(true);
  await page.getByRole("button", { name: "提交反映" }).click();
  await expect(page.getByText("现在没有网络：反映已保存在手机上")).toBeVisible();
  await page.evaluate(() => (location.hash = "#/pages/home/index"));
  await expect(page.getByText("有 1 条反映等待联网后发送。")).toBeVisible();

  await context.setOffline(false);
  await expect(page.getByText("有 1 条反映等待联网后发送。")).toBeHidden({ timeout: 15_000 });
  const token = await tokenOf(page);
  const mine = await (await request.get("/api/v1/issues", { headers: { Authorization: `Bearer ${token}` } })).json();
  const sent = mine.items.filter((i: { excerpt: string }) => i.excerpt.startsWith(words.slice(0, 20)));
  expect(sent).toHaveLength(1);
  // Coming back again sends nothing more.
  await page.reload();
  await page.waitForLoadState("networkidle");
  const again = await (await request.get("/api/v1/issues", { headers: { Authorization: `Bearer ${token}` } })).json();
  expect(again.items.filter((i: { excerpt: string }) => i.excerpt.startsWith(words.slice(0, 20)))).toHaveLength(1);
});
