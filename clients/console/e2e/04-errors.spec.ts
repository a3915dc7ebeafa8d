// What a person is told when something goes wrong: a wrong password, a session ended elsewhere, and a command that
// someone else's command made impossible (409 wrong_state).
import { expect, test } from "@playwright/test";
import { ADMIN, open, screenshot, signIn, STAFF, token } from "./support";

test("a fresh browser meets the sign-in page without a refused request or a red error; a reload keeps a session", async ({ page }) => {
  const refused: string[] = [];
  page.on("response", (r) => {
    if (r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
  });
  page.on("console", (m) => {
    if (m.type() === "error") refused.push(m.text());
  });
  await page.goto("/");
  await expect(page.getByLabel("手机号")).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(refused).toEqual([]);
  await signIn(page, STAFF);
  await page.reload();
  await expect(page.getByRole("link", { name: "通知" })).toBeVisible();
  expect(refused).toEqual([]);
});

test("a wrong password says so", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("手机号").fill(STAFF);
  await page.getByLabel("密码").fill("not-the-password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert")).toContainText("手机号或密码错误");
  await expect(page.getByLabel("手机号")).toBeVisible();
  await screenshot(page, "sign-in-wrong-password");
});

test("an ended session leads back to sign-in with a message", async ({ page, request }) => {
  await signIn(page, STAFF);
  const admin = await token(request, ADMIN);
  const staff = await token(request, STAFF);
  const ended = await request.delete(`/api/v1/users/${staff.id}/sessions`, { headers: { Authorization: `Bearer ${admin.token}` } });
  expect(ended.status()).toBe(204);
  await open(page, "/issues");
  await expect(page.getByRole("alert")).toContainText("登录已过期，请重新登录");
  await expect(page.getByLabel("手机号")).toBeVisible();
});

test("a command someone else made impossible shows why, and where the issue stands now", async ({ browser }) => {
  const first = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  await signIn(first, STAFF);
  await signIn(second, STAFF);
  for (const page of [first, second]) {
    await open(page, "/issues");
    await page.getByLabel("搜索").fill("绿化带积水");
    await page.getByLabel("搜索").press("Enter");
    await page.getByText("绿化带积水蚊虫多").click();
    await expect(page.getByTestId("status")).toHaveText("待受理");
  }
  await first.getByRole("button", { name: "受理", exact: true }).click();
  await first.getByRole("dialog", { name: "受理" }).getByRole("button", { name: "确定" }).click();
  await expect(first.getByTestId("status")).toHaveText("已受理");

  // The second page still offers 受理: the service refuses it now.
  await second.getByRole("button", { name: "受理", exact: true }).click();
  await second.getByRole("dialog", { name: "受理" }).getByRole("button", { name: "确定" }).click();
  await expect(second.getByRole("alert").filter({ hasText: "问题当前的状态不能进行此操作", visible: true })).toBeVisible();
  await expect(second.getByTestId("status")).toHaveText("已受理");
  await screenshot(second, "wrong-state");
});
