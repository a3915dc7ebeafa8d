// The clerk's desk (issue #35): the list a clerk works in all day — sorted, dense, filtered by a saved filter, acted on
// in bulk, exported — the keyboard, templates from 知识库, the printed 交办单 and the delivery screen. Each test
// says in its comments how many actions a step takes.
import { readFile } from "node:fs/promises";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { ADMIN, HOUSING, STAFF, WANG, choose, open, screenshot, signIn, token } from "./support";

test.describe.configure({ mode: "serial" });

/** A deputy's streetlight report, taken as far as `until` through the API (others acting while the clerk works). */
async function reported(request: APIRequestContext, title: string, until: "submitted" | "accepted" | "signed") {
  const deputy = await token(request, WANG);
  const staff = await token(request, STAFF);
  const post = async (who: { token: string }, path: string, data: object) => {
    const res = await request.post(path, { headers: { Authorization: `Bearer ${who.token}` }, data });
    expect(res.ok(), `${path}: ${await res.text()}`).toBeTruthy();
    return res.json();
  };
  const issue = await post(deputy, "/api/v1/issues", {
    title,
    description: `${title}，晚上经过很不安全。`,
    category_code: "streetlight",
    location: { address: "凤山街道新建路 12 号" },
  });
  if (until !== "submitted") await post(staff, `/api/v1/issues/${issue.id}/accept`, {});
  if (until === "signed") {
    await post(staff, `/api/v1/issues/${issue.id}/route`, {});
    await post(await token(request, HOUSING), `/api/v1/issues/${issue.id}/sign`, {});
  }
  return issue as { id: string; number: string };
}

/** The list's rows (Element Plus draws the header and the body as two tables; the rows are the body's). */
const rows = (page: Page) => page.locator('[aria-label="问题"] .el-table__body-wrapper tbody tr');

test("the clerk's list sorts, keeps its density, saves a filter, keeps its place and exports to Excel", async ({ page }) => {
  await signIn(page, STAFF);
  await open(page, "/issues");
  await expect(rows(page).first()).toBeVisible();
  await screenshot(page, "issue-list");

  // Sorted by number in one click on its header, the other way in a second.
  const numbers = async () => (await rows(page).locator("td:nth-child(2)").allTextContents()).map((t) => t.trim());
  await page.getByRole("columnheader", { name: "编号" }).click();
  const up = await numbers();
  expect(up).toEqual([...up].sort());
  await page.getByRole("columnheader", { name: "编号" }).click();
  const down = await numbers();
  expect(down).toEqual([...up].sort().reverse());

  // The density is the clerk's own, kept across a reload.
  await page.getByRole("radio", { name: "宽松" }).click({ force: true });
  await expect(page.locator(".el-table--large")).toBeVisible();
  await page.reload();
  await expect(page.locator(".el-table--large")).toBeVisible();
  await page.getByRole("radio", { name: "紧凑" }).click({ force: true });
  await expect(page.locator(".el-table--small")).toBeVisible();

  // 我区红牌: the red ones, saved under a name (two actions to set, two to save), then applied in one pick.
  await choose(page, "预警", "超期");
  await expect(rows(page).first()).toContainText("超期");
  await page.getByRole("button", { name: "保存筛选" }).click();
  const naming = page.getByRole("dialog", { name: "保存筛选" });
  await naming.getByLabel("名称").fill("我区红牌");
  await naming.getByRole("button", { name: "保存" }).click();
  await expect(naming).toBeHidden();
  const red = await rows(page).count();
  // The service keeps it: a fresh page, no filter set, one pick.
  await page.reload();
  await expect(rows(page)).not.toHaveCount(red);
  await choose(page, "我的筛选", "我区红牌");
  await expect(rows(page)).toHaveCount(red);
  for (const tag of await rows(page).locator("td:nth-child(4)").allTextContents()) expect(tag.trim()).toBe("超期");

  // The place is kept: an issue opened from the list and left with 返回 lands on the same rows.
  const first = (await numbers())[0]!;
  await rows(page).first().getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 2, name: first })).toBeVisible();
  await page.goBack();
  await expect(rows(page)).toHaveCount(red);
  expect((await numbers())[0]).toBe(first);

  // The list as Excel, the same filters: one click.
  const [sheet] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "导出 Excel" }).click()]);
  expect(sheet.suggestedFilename()).toBe("问题清单.xlsx");
  const bytes = await readFile((await sheet.path())!);
  expect(bytes.subarray(0, 2).toString()).toBe("PK");
  expect(bytes.length).toBeGreaterThan(2000);
});

test("several issues are accepted at once, and what became of each is said of each", async ({ page, request }) => {
  const one = await reported(request, "批量一号路灯不亮", "submitted");
  const two = await reported(request, "批量二号路灯不亮", "submitted");
  await signIn(page, STAFF);
  await open(page, "/issues");
  await choose(page, "状态", "待受理");
  for (const issue of [one, two]) {
    await rows(page).filter({ hasText: issue.number }).locator(".el-checkbox").click();
  }
  // Someone else accepts the second meanwhile: it is refused on its own, the first is done.
  const staff = await token(request, STAFF);
  await request.post(`/api/v1/issues/${two.id}/accept`, { headers: { Authorization: `Bearer ${staff.token}` }, data: {} });
  const bar = page.getByRole("toolbar", { name: "批量操作" });
  await expect(bar).toContainText("已选 2 件");
  await bar.getByRole("button", { name: "受理" }).click();
  const results = page.getByRole("dialog", { name: "批量操作结果" });
  await expect(results).toContainText("成功 1 件，未成功 1 件");
  await expect(results.getByRole("row").filter({ hasText: one.number })).toContainText("成功，现为「已受理」");
  await expect(results.getByRole("row").filter({ hasText: two.number })).toContainText("未成功：问题当前的状态不能进行此操作");
  await screenshot(page, "bulk-results");
  await results.getByRole("button", { name: "知道了" }).click();
});

test("受理并交办 by keyboard, the next in the queue, and the shortcuts overlay", async ({ page, request }) => {
  const issue = await reported(request, "键盘受理路灯不亮", "submitted");
  await signIn(page, STAFF);
  await page.goto(`/console/#/issues/${issue.id}`);
  await expect(page.getByTestId("status")).toHaveText("待受理");
  // ? lists what the keys do here.
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "快捷键" });
  await expect(help).toContainText("受理并交办");
  await expect(help).toContainText("下一件待办");
  await screenshot(page, "shortcuts");
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();
  // a, then 确定: accepted and routed to the rule's agency.
  await page.keyboard.press("a");
  const dialog = page.getByRole("dialog", { name: "受理并交办" });
  await expect(dialog.getByText("余姚市住房和城乡建设局")).toBeVisible();
  await dialog.getByRole("button", { name: "确定" }).click();
  await expect(page.getByTestId("status")).toHaveText("已交办");
  await expect(dialog).toBeHidden();
  // n: the next issue waiting in the inbox.
  await page.keyboard.press("n");
  await expect(page).not.toHaveURL(new RegExp(issue.id));
  await expect(page.getByRole("heading", { level: 2 })).toHaveText(/^(YY|BL)-/);

  // On the list: j moves to a row, Enter opens it.
  await open(page, "/issues");
  await expect(rows(page).first()).toBeVisible();
  await page.keyboard.press("j");
  const picked = (await rows(page).first().locator("td:nth-child(2)").textContent())?.trim() ?? "";
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 2, name: picked })).toBeVisible();
});

test("staff keep a reply template in 知识库; the handler answers from it, filled in and edited", async ({ browser, request }) => {
  const staff = await (await browser.newContext()).newPage();
  await signIn(staff, STAFF);
  await open(staff, "/templates");
  await staff.getByRole("button", { name: "新增模板" }).click();
  const form = staff.getByRole("dialog", { name: "新增模板" });
  // The region is the clerk's own (余姚市) unless they pick another.
  await form.getByLabel("标题").fill("路灯已修复");
  await form.getByLabel("内容").fill("您反映的{编号}（{地点}）路灯已修复，感谢监督。");
  // A placeholder the service does not know is refused beside the field.
  await form.getByRole("button", { name: "{今天}" }).click();
  await form.getByLabel("内容").press("End");
  await form.getByLabel("内容").pressSequentially("{姓名}");
  await form.getByRole("button", { name: "保存" }).click();
  await expect(form.getByText("模板里有不认识的占位符")).toBeVisible();
  await form.getByLabel("内容").fill("您反映的{编号}（{地点}）路灯已修复，感谢监督。");
  await form.getByRole("button", { name: "保存" }).click();
  await expect(form).toBeHidden();
  await expect(staff.getByRole("row").filter({ hasText: "路灯已修复" })).toContainText("余姚市");
  await screenshot(staff, "templates");

  const issue = await reported(request, "知识库路灯不亮", "signed");
  const handler = await (await browser.newContext()).newPage();
  await signIn(handler, HOUSING);
  await handler.goto(`/console/#/issues/${issue.id}`);
  await handler.getByRole("button", { name: "答复", exact: true }).click();
  const reply = handler.getByRole("dialog", { name: "答复" });
  await choose(handler, "选择模板", "路灯已修复");
  const text = reply.getByLabel("答复内容");
  await expect(text).toHaveValue(`您反映的${issue.number}（凤山街道新建路 12 号）路灯已修复，感谢监督。`);
  await screenshot(handler, "reply-from-template");
  await text.fill(`${await text.inputValue()}如再有问题请拨打 12345。`);
  await reply.getByRole("button", { name: "确定" }).click();
  await expect(handler.getByTestId("status")).toHaveText("已答复");
  await expect(handler.getByRole("region", { name: "办理过程" })).toContainText(`您反映的${issue.number}`);
});

test("a 交办单 prints on one page with the routing, the deadlines and the lines to sign", async ({ page, request }) => {
  const issue = await reported(request, "交办单路灯不亮", "signed");
  await signIn(page, STAFF);
  await page.goto(`/console/#/issues/${issue.id}`);
  await page.getByRole("button", { name: "打印交办单" }).click();
  const order = page.getByRole("article", { name: "交办单" });
  await expect(order).toContainText(issue.number);
  await expect(order).toContainText("余姚市住房和城乡建设局");
  await expect(order).toContainText("凤山街道新建路 12 号");
  await expect(order).toContainText("答复：");
  await expect(order).toContainText("承办单位签收人");
  await screenshot(page, "work-order");
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("button", { name: "打印" })).toBeHidden();
  await expect(page.locator(".aside")).toBeHidden();
  await expect(order).toBeVisible();
  await page.emulateMedia({ media: "screen" });
});

test("the admin sees every notification by channel, and why a WeChat message was never sent", async ({ page }) => {
  await signIn(page, ADMIN);
  await open(page, "/outbox");
  const inApp = page.getByRole("region", { name: "站内通知" });
  await expect(inApp.getByRole("button", { name: /已发送 [1-9]\d*/ })).toBeVisible();
  // WeChat has no subscribe-message templates here: the citizens' messages are there, never sent, and say why.
  const wechat = page.getByRole("region", { name: "微信订阅消息" });
  await expect(wechat.getByRole("button", { name: /未发送 [1-9]\d*/ })).toBeVisible();
  const table = page.locator('[aria-label="消息"]');
  await expect(table.getByText("未配置微信或该通知的订阅消息模板").first()).toBeVisible();
  await screenshot(page, "outbox");
  await inApp.getByRole("button", { name: /已发送/ }).click();
  await expect(table.getByText(/^(未读|已读于)/).first()).toBeVisible();
});

test("a county stops offering a category and renames another; its deputies report from its own list", async ({ browser }) => {
  const staff = await (await browser.newContext()).newPage();
  await signIn(staff, STAFF);
  await open(staff, "/category-areas");
  const table = staff.locator('[aria-label="本区分类"]');
  const noise = table.locator("tbody tr").filter({ hasText: "噪声扰民" });
  await noise.getByRole("button", { name: "停用噪声扰民" }).click();
  await expect(noise.locator(".el-tag")).toHaveText("停用");
  const light = table.locator("tbody tr").filter({ hasText: "路灯照明" });
  await light.getByLabel("路灯照明在本区的名称").fill("路灯（余姚）");
  await light.getByRole("button", { name: "保存名称" }).click();
  await expect(light.getByLabel("路灯照明在本区的名称")).toHaveValue("路灯（余姚）");
  await screenshot(staff, "category-areas");

  // 王建国 reports through 凤山 station, in 余姚: 噪声扰民 is gone, streetlights go by 余姚's name.
  const deputy = await (await browser.newContext()).newPage();
  await signIn(deputy, WANG);
  await open(deputy, "/report");
  await deputy.getByRole("combobox", { name: "分类" }).click({ force: true });
  await expect(deputy.getByRole("option", { name: "路灯（余姚）" })).toBeVisible();
  await expect(deputy.getByRole("option", { name: "噪声扰民" })).toHaveCount(0);
});
