// One issue walked from a deputy's report to a closed, rated issue, each person in their own browser.
import { expect, test, type Page } from "@playwright/test";
import { choose, HOUSING, signIn, STAFF } from "./support";

async function act(page: Page, name: string, fill?: () => Promise<void>) {
  await page.getByRole("button", { name, exact: true }).click();
  const dialog = page.getByRole("dialog", { name });
  if (fill) await fill();
  await dialog.getByRole("button", { name: "确定" }).click();
  await expect(dialog).toBeHidden();
}

test("an issue goes from report to a closed, rated issue", async ({ browser }) => {
  const deputy = await (await browser.newContext()).newPage();
  await signIn(deputy, "13900000012");
  await deputy.goto("/console/#/report");
  await deputy.getByLabel("问题描述").fill("阳明街道双河弄口路灯白天亮、晚上不亮，定时器可能坏了。");
  await choose(deputy, "分类", "路灯照明");
  await deputy.getByRole("button", { name: "提交" }).click();
  await expect(deputy.getByTestId("status")).toHaveText("待受理");
  const url = deputy.url();

  const staff = await (await browser.newContext()).newPage();
  await signIn(staff, STAFF);
  await staff.goto(url);
  await act(staff, "受理");
  await act(staff, "交办");
  await expect(staff.getByTestId("status")).toHaveText("已交办");

  const handler = await (await browser.newContext()).newPage();
  await signIn(handler, HOUSING);
  await handler.goto(url);
  await act(handler, "签收");
  await act(handler, "答复", async () => {
    await handler.getByRole("dialog", { name: "答复" }).getByLabel("答复内容").fill("已更换定时控制器，路灯恢复夜间照明。");
  });
  await expect(handler.getByTestId("status")).toHaveText("已答复");

  await deputy.reload();
  await act(deputy, "评价");
  await expect(deputy.getByTestId("status")).toHaveText("已办结");
  await expect(deputy.getByText("满意", { exact: true })).toBeVisible();
});
