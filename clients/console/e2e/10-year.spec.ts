// The 票决制 year in the console: staff sort a round's proposals and take them into a ballot's candidate (点单 →
// 定单); the agency re-plans, spends, answers a citizen, finishes and declares completion; staff decide the plan,
// place the project, accept it and turn a comment into an issue (领单); staff open a secret satisfaction
// evaluation, a deputy rates on a phone, staff count it (验单); and the year report downloads.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { accessible, choose, chooseIn, HOUSING, open, screenshot, signIn, STAFF, WANG } from "./support";

const ROUND = "2027年余姚市民生实事项目征集";
const PROJECT = "老旧小区加装电梯";
const PHONE = { width: 390, height: 844 };

/** Beijing time as the date pickers take it typed. */
function beijing(at: Date): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai", dateStyle: "short", timeStyle: "medium" }).format(at);
}

/** Types a period into an Element Plus date-time range and confirms it. */
async function period(within: Locator, from: Date, to: Date) {
  const start = within.getByPlaceholder("开始");
  await start.click();
  await start.fill(beijing(from));
  await start.press("Enter");
  const end = within.getByPlaceholder("截止");
  await end.fill(beijing(to));
  await end.press("Enter");
  await expect(start).toHaveValue(beijing(from));
  await expect(end).toHaveValue(beijing(to));
}

async function proposal(page: Page, title: string): Promise<Locator> {
  return page.getByTestId("proposal").filter({ has: page.getByText(title, { exact: true }) });
}

test.describe.serial("the 票决制 year", () => {
  test("staff sort a round's proposals: grouped, counted, merged, not taken with the reason", async ({ page }) => {
    await signIn(page, STAFF);
    await open(page, "/rounds");
    await page.getByRole("link", { name: ROUND }).click();
    await expect(page.getByTestId("round-phase")).toHaveText("征集中");
    const groups = page.getByRole("radiogroup", { name: "建议分组" });
    await expect(groups.getByText("待梳理 4")).toBeVisible();
    // Most supported first: three supporters of the lifts.
    await expect(page.getByTestId("proposal").first()).toContainText("阳明街道老旧小区加装电梯");
    await expect(page.getByTestId("proposal").first()).toContainText("附议 3 人");

    await (await proposal(page, "舜水小区电梯加装")).getByRole("button", { name: "合并到…" }).click();
    const dialog = page.getByRole("dialog", { name: "合并重复建议" });
    await choose(page, "并入", "阳明街道老旧小区加装电梯（附议 3）");
    await dialog.getByRole("button", { name: "合并" }).click();
    await expect(dialog).toBeHidden();
    await expect(groups.getByText("待梳理 3")).toBeVisible();
    await expect(groups.getByText("已合并 1")).toBeVisible();
    // The proposer of the duplicate now backs the one it was folded into.
    await expect(await proposal(page, "阳明街道老旧小区加装电梯")).toContainText("附议 4 人");

    await (await proposal(page, "农村公交延伸到山区村")).getByRole("button", { name: "不采纳" }).click();
    const refuse = page.getByRole("dialog", { name: "不采纳" });
    await refuse.getByRole("button", { name: "不采纳" }).click();
    // No reason, no decision: the refusal says so beside the field.
    await expect(refuse.locator(".el-form-item__error")).toBeVisible();
    await refuse.getByLabel("不采纳的理由（告知提出人）").fill("山区公交线路由市交通局年内另行调整，不列入民生实事。");
    await refuse.getByRole("button", { name: "不采纳" }).click();
    await expect(refuse).toBeHidden();
    await groups.getByText("未采纳 1").click();
    await expect(page.getByTestId("proposal")).toContainText("未采纳：山区公交线路由市交通局");
    await groups.getByText("待梳理 2").click();
    await accessible(page, "a round's proposals");
    await screenshot(page, "round-desktop");
    await page.setViewportSize(PHONE);
    await screenshot(page, "round-phone");
  });

  test("staff take proposals up into a ballot's candidate, with its milestones", async ({ page }) => {
    await signIn(page, STAFF);
    await open(page, "/ballots");
    await page.getByRole("button", { name: "新建票决" }).click();
    const dialog = page.getByRole("dialog", { name: "新建票决" });
    await dialog.getByLabel("名称", { exact: true }).fill("2027年余姚市民生实事补充项目代表票决");
    await dialog.getByLabel("会议", { exact: true }).fill("余姚市第十七届人民代表大会第七次会议");
    await period(dialog, new Date(Date.now() + 3600_000), new Date(Date.now() + 86400_000 * 7));
    await chooseIn(page, "参加票决的代表", "王建国", true);
    await chooseIn(page, "项目 1 来自群众建议", "阳明街道老旧小区加装电梯（附议 4）", true);
    // The proposal's words become the candidate's, for staff to edit.
    await expect(dialog.getByLabel("项目 1 名称")).toHaveValue("阳明街道老旧小区加装电梯");
    await dialog.getByLabel("项目 1 节点 1", { exact: true }).fill("完成加装电梯公示");
    await dialog.getByLabel("项目 1 节点 1 计划完成").fill("2027-06-30");
    await dialog.getByLabel("项目 1 节点 1 计划完成").press("Enter");
    await dialog.getByLabel("项目 2 名称").fill("城区中小学周边停车接送区");
    await dialog.getByLabel("项目 2 简介").fill("在城区中小学门口设置限时停车接送区。");
    for (const n of [1, 2]) await chooseIn(page, `项目 ${n} 承办单位`, "余姚市住房和城乡建设局");
    await screenshot(page, "ballot-from-proposals-desktop");
    await dialog.getByRole("button", { name: "创建" }).click();
    await expect(dialog).toBeHidden();
    await page.getByRole("link", { name: "2027年余姚市民生实事补充项目代表票决" }).click();
    const candidates = page.getByRole("region", { name: "候选项目" });
    await expect(candidates).toContainText("阳明街道老旧小区加装电梯");
    // Its proposer, three supporters and the proposer of the duplicate folded into it.
    await expect(candidates).toContainText("5 位群众提出或附议");
  });

  test("the agency asks to re-plan, spends and answers a citizen", async ({ page }) => {
    await signIn(page, HOUSING);
    await open(page, "/projects");
    await page.getByRole("link", { name: PROJECT }).click();
    const plan = page.getByRole("region", { name: "计划调整" });
    await expect(plan.getByTestId("plan-change").first()).toContainText("待审批");

    const money = page.getByRole("region", { name: "资金" });
    await money.getByText("支出", { exact: true }).last().click();
    await money.getByLabel("金额（万元）").fill("300");
    await money.getByRole("button", { name: "记录资金" }).click();
    // A spending with no note is refused beside the note.
    await expect(money.locator(".el-form-item__error")).toBeVisible();
    await money.getByLabel("说明").fill("电梯设备首付款");
    await money.getByRole("button", { name: "记录资金" }).click();
    await expect(money.getByRole("table").last()).toContainText("电梯设备首付款");
    await expect(money).toContainText("已支出 300 万元");

    const comments = page.getByRole("region", { name: "群众评论" });
    const comment = comments.getByTestId("comment").filter({ hasText: "我们小区也在名单上吗" });
    await comment.getByRole("textbox").fill("第一批加装名单已公示，舜水小区在列，预计明年三月开工。");
    await comment.getByRole("button", { name: "答复" }).click();
    await expect(comment).toContainText("承办单位答复：第一批加装名单已公示");

    await plan.getByText("增加节点").click();
    await plan.getByLabel("新节点").fill("加装电梯方案公示");
    await plan.getByLabel("计划完成").fill("2027-03-31");
    await plan.getByLabel("计划完成").press("Enter");
    await plan.getByLabel("理由").fill("居民要求开工前公示方案。");
    await plan.getByRole("button", { name: "提交申请" }).click();
    await expect(plan.getByTestId("plan-change")).toHaveCount(2);

    await screenshot(page, "project-agency-replan-desktop");
  });

  test("staff decide the plan, place the project and turn a comment into an issue", async ({ page }) => {
    await signIn(page, STAFF);
    await open(page, "/projects");
    await page.getByRole("link", { name: PROJECT }).click();
    const plan = page.getByRole("region", { name: "计划调整" });
    const postpone = plan.getByTestId("plan-change").filter({ hasText: "推迟" });
    await postpone.getByRole("textbox").fill("同意推迟，请按新的时间完成。");
    await postpone.getByRole("button", { name: "同意", exact: true }).click();
    await expect(postpone).toContainText("已同意");
    const add = plan.getByTestId("plan-change").filter({ hasText: "增加节点" });
    await add.getByRole("button", { name: "不同意" }).click();
    await expect(add).toContainText("未同意");

    const place = page.getByRole("region", { name: "项目位置" });
    await place.locator(".map").click({ position: { x: 120, y: 80 } });
    await expect(place.getByLabel("纬度")).not.toHaveValue("30.044500");
    await place.getByLabel("地址").fill("余姚市阳明街道舜水小区");
    await place.getByRole("button", { name: "保存位置" }).click();
    await expect(place).toContainText("余姚市阳明街道舜水小区");

    const comment = page.getByRole("region", { name: "群众评论" }).getByTestId("comment").filter({ hasText: "我们小区也在名单上吗" });
    await comment.getByRole("button", { name: "转为问题" }).click();
    await expect(comment.getByRole("link", { name: "已转为问题" })).toBeVisible();

    const record = page.getByRole("region", { name: "项目记录" });
    await expect(record.getByTestId("chain")).toHaveText("记录完整，未被改动");
    for (const kind of ["计划调整获同意", "计划调整未获同意", "资金记录", "标注位置", "群众评论转为问题"]) {
      await expect(record).toContainText(kind);
    }
    await accessible(page, "a project's page");
    await screenshot(page, "project-desktop");
    await page.setViewportSize(PHONE);
    await screenshot(page, "project-phone");
  });

  test("the agency finishes and declares completion; staff accept, and the record is whole", async ({ page }) => {
    await signIn(page, HOUSING);
    await open(page, "/projects");
    await page.getByRole("link", { name: PROJECT }).click();
    for (const milestone of ["完成设计和招标", "完工验收"]) {
      const report = page.getByRole("region", { name: "报告进展" });
      await report.getByLabel("进展情况").fill(`${milestone}已完成。`);
      await choose(page, "完成的里程碑", milestone);
      await report.getByRole("button", { name: "提交" }).click();
      await expect(page.getByRole("region", { name: "里程碑" }).locator(".row").filter({ hasText: milestone })).toContainText("已完成");
    }
    const done = page.getByRole("form", { name: "申报完工" });
    await done.getByLabel("完工情况").fill("全部电梯已安装并通过特种设备检验。");
    await done.getByRole("button", { name: "申报完工" }).click();
    await expect(page.getByTestId("delivery")).toHaveText("已完工待验收");
    await screenshot(page, "project-agency-desktop");
    await page.getByRole("button", { name: "退出" }).click();
    await signIn(page, STAFF);
    await open(page, "/projects");
    await page.getByRole("link", { name: PROJECT }).click();
    const accept = page.getByRole("form", { name: "验收" });
    await accept.getByLabel("验收意见（退回时写明还缺什么）").fill("现场查验，运行正常。");
    await accept.getByRole("button", { name: "验收通过" }).click();
    await expect(page.getByTestId("delivery")).toHaveText("已验收");
    await expect(page.getByRole("region", { name: "项目记录" })).toContainText("验收通过");
  });

  test("staff open a secret satisfaction evaluation, a deputy rates on a phone, staff count it", async ({ page, browser }) => {
    await signIn(page, STAFF);
    await open(page, "/ballots");
    await page.getByRole("button", { name: "新建满意度测评" }).click();
    const dialog = page.getByRole("dialog", { name: "新建满意度测评" });
    await dialog.getByRole("button", { name: "创建" }).click();
    await expect(dialog.locator(".el-form-item__error").first()).toBeVisible();
    await dialog.getByLabel("名称", { exact: true }).fill("2026年民生实事项目满意度测评");
    await dialog.getByLabel("会议", { exact: true }).fill("余姚市第十七届人民代表大会第七次会议");
    // Open since yesterday: the service under test runs on a clock of its own, held at the moment it started.
    await period(dialog, new Date(Date.now() - 86400_000), new Date(Date.now() + 86400_000));
    await chooseIn(page, "测评的项目", PROJECT, true);
    await chooseIn(page, "参加测评的代表", "王建国", true);
    await dialog.getByRole("button", { name: "创建" }).click();
    await expect(dialog).toBeHidden();

    const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    const deputy = await phone.newPage();
    await signIn(deputy, WANG);
    await open(deputy, "/ballots");
    await deputy.getByRole("link", { name: "2026年民生实事项目满意度测评" }).click();
    const vote = deputy.getByRole("region", { name: "投票" });
    await vote.getByRole("radiogroup", { name: `评价：${PROJECT}` }).getByText("满意", { exact: true }).click();
    await screenshot(deputy, "evaluation-phone");
    await vote.getByRole("button", { name: "签到领票" }).click();
    await expect(vote.getByTestId("paper-taken")).toBeVisible();
    await vote.getByRole("button", { name: "现在投出" }).click();
    await expect(deputy.getByText("投票成功")).toBeVisible();
    await phone.close();

    // Every deputy on the roster has cast: staff may count before the closing time.
    await page.reload();
    await page.getByRole("link", { name: "2026年民生实事项目满意度测评" }).click();
    await page.getByRole("button", { name: "计票并公布结果" }).click();
    const results = page.getByRole("region", { name: "测评结果" });
    await expect(results).toContainText(PROJECT);
    await expect(results).toContainText("通过");
    await screenshot(page, "evaluation-results-desktop");
    await page.getByRole("link", { name: PROJECT }).click();
    await expect(page.getByTestId("delivery")).toHaveText("测评满意");
    await expect(page.getByRole("region", { name: "代表满意度测评" })).toContainText("满意 1");
  });

  test("the projects on the map, milestones on the deadline board, and the year report", async ({ page }) => {
    await signIn(page, STAFF);
    await open(page, "/projects");
    await expect(page.getByRole("region", { name: "项目地图" })).toBeVisible();
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "下载 CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`民生实事年度报告-${new Date().getFullYear()}.csv`);
    const csv = readFileSync((await file.path()) ?? "", "utf8");
    expect(csv).toContain(PROJECT);
    await screenshot(page, "projects-desktop");
    await page.setViewportSize(PHONE);
    await screenshot(page, "projects-phone");
    await page.setViewportSize({ width: 1366, height: 860 });
    await open(page, "/deadlines");
    // The other elected project's milestones are on the board, as a stage of their own.
    await choose(page, "环节", "项目节点");
    await expect(page.getByRole("row").filter({ hasText: "（节点：" }).first()).toContainText("项目节点");
    await screenshot(page, "deadlines-milestone-desktop");
    await page.setViewportSize(PHONE);
    await screenshot(page, "deadlines-milestone-phone");
  });
});
