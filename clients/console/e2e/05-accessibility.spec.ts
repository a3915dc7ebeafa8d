// axe-core on every main screen: no critical or serious violation.
import { expect, test } from "@playwright/test";
import { accessible, ADMIN, open, screenshot, signIn, STAFF, WANG } from "./support";

test("the sign-in page", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByLabel("手机号")).toBeVisible();
  await accessible(page, "sign-in");
  await screenshot(page, "sign-in");
});

const STAFF_SCREENS: [string, string, string][] = [
  ["/inbox", "待办", "inbox"],
  ["/issues", "问题", "issues"],
  ["/deadlines", "三色预警", "deadlines"],
  ["/stats", "统计分析", "stats"],
  ["/bulletins", "民情专报", "bulletins"],
  ["/performance", "履职积分", "performance"],
  ["/ballots", "票决", "ballots"],
  ["/projects", "民生实事", "projects"],
  ["/receptions", "接待日", "receptions"],
  ["/stations", "联络站", "stations"],
  ["/organisation/users", "组织与配置", "users"],
  ["/organisation/routing-rules", "组织与配置", "routing-rules"],
  ["/notifications", "通知", "notifications"],
  ["/templates", "知识库", "templates"],
  ["/category-areas", "本区分类", "category-areas"],
  ["/me", "我的", "profile"],
];

test("staff screens", async ({ page }) => {
  await signIn(page, STAFF);
  for (const [route, title, name] of STAFF_SCREENS) {
    await open(page, route);
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await page.waitForLoadState("networkidle");
    await accessible(page, route);
    await screenshot(page, `screen-${name}`);
  }
  // An issue's page, with its map and timeline.
  await open(page, "/issues");
  await page.getByText("建筑垃圾长期堆放").click();
  await expect(page.getByRole("region", { name: "办理过程" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  await accessible(page, "issue page");
  await screenshot(page, "issue-page");
});

test("admin screens", async ({ page }) => {
  await signIn(page, ADMIN);
  for (const route of ["/webhooks", "/outbox"]) {
    await open(page, route);
    await page.waitForLoadState("networkidle");
    await accessible(page, route);
  }
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  test("deputy screens", async ({ page }) => {
    await signIn(page, WANG);
    for (const route of ["/inbox", "/report", "/issues", "/performance", "/voters"]) {
      await open(page, route);
      await page.waitForLoadState("networkidle");
      await accessible(page, route);
      await screenshot(page, `phone${route.replace("/", "-")}`);
    }
  });
});
