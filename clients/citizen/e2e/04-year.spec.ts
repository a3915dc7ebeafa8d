// 群众点单 and a project's whole story on the phone pages: anyone reads next year's round and its proposals; a
// citizen supports one (附议) after signing in, and proposes one of their own; a project's public page tells where it
// came from, its money, the agency's answers under comments and its hash-chained record.
import { test, expect } from "@playwright/test";
import { HOUSING, STAFF, accessible, phoneFor, screenshot, signInByText, staffToken, watchPolicy } from "./support";

test.describe.configure({ mode: "serial" });

const ROUND = "2027年余姚市民生实事项目征集";

test("citizens read a round's proposals, support one and propose their own", async ({ page, request }) => {
  const refused = watchPolicy(page);
  await page.goto("/m/#/pages/home/index");
  await page.getByRole("button", { name: "民生实事 · 我来点单" }).click();
  await expect(page.getByRole("heading", { name: ROUND })).toBeVisible();
  const items = page.locator("[data-test=proposal]");
  // The same proposals as the public API, most supported first; nobody is named.
  const rounds = await (await request.get("/api/v1/proposal-rounds")).json();
  const round = await (await request.get(`/api/v1/proposal-rounds/${rounds[0].id}`)).json();
  await expect(items).toHaveCount(round.items.length);
  await expect(items.first()).toContainText(round.items[0].title);
  await screenshot(page, "citizen-proposals");
  await accessible(page, "proposals");

  const school = items.filter({ hasText: "城区中小学周边停车接送区" });
  const before = round.items.find((p: { title: string }) => p.title === "城区中小学周边停车接送区").supporters as number;
  await school.getByRole("button", { name: "附议：城区中小学周边停车接送区" }).click();
  await signInByText(page, request, phoneFor(7));
  await expect(page.getByRole("heading", { name: ROUND })).toBeVisible();
  await page.getByRole("button", { name: "附议：城区中小学周边停车接送区" }).click();
  await expect(page.getByRole("status")).toContainText("已附议「城区中小学周边停车接送区」");
  await expect(items.filter({ hasText: "城区中小学周边停车接送区" })).toContainText(`附议 ${before + 1} 人`);
  // Once is enough: supporting again counts nothing more.
  await page.getByRole("button", { name: "附议：城区中小学周边停车接送区" }).click();
  await expect(page.getByRole("status")).toContainText("已附议「城区中小学周边停车接送区」");
  const again = await (await request.get(`/api/v1/proposal-rounds/${rounds[0].id}`)).json();
  expect(again.items.find((p: { title: string }) => p.title === "城区中小学周边停车接送区").supporters).toBe(before + 1);

  // An empty proposal is answered beside each field, and nothing is sent.
  await page.getByRole("button", { name: "提交建议" }).click();
  await expect(page.getByText("请写下建议的名称")).toBeVisible();
  await expect(page.getByText("请说明为什么需要")).toBeVisible();
  const title = `江南新城增设社区食堂（${Date.now() % 100000}）`;
  await page.getByLabel("建议名称").fill(title);
  await page.getByLabel("做什么、在哪里").fill("在江南新城的社区服务中心开设老年食堂，提供午餐和晚餐。");
  await page.getByLabel("为什么需要").fill("新城独居老人多，做饭不方便。");
  await page.getByRole("button", { name: "提交建议" }).click();
  // From the phone pages WeChat's text check cannot vouch for the words (it needs a WeChat identity): the proposal
  // waits for staff, and strangers see it once they publish it.
  await expect(page.getByRole("status")).toContainText("建议已提交，审核后公开");
  await expect(items.filter({ hasText: title })).toHaveCount(0);
  const staff = await staffToken(request, STAFF);
  const auth = { Authorization: `Bearer ${staff}` };
  const held = await (await request.get(`/api/v1/proposal-rounds/${rounds[0].id}/held`, { headers: auth })).json();
  const mine = held.find((p: { title: string }) => p.title === title);
  expect(mine).toBeTruthy();
  const published = await request.post(`/api/v1/proposals/${mine.id}/decision`, { data: { publish: true }, headers: auth });
  expect(published.status()).toBe(200);
  await page.reload();
  await expect(items.filter({ hasText: title })).toContainText("征集中");
  await screenshot(page, "citizen-proposed");
  expect(refused).toEqual([]);
});

test("a project's public page tells its whole story: origin, money, answers and its record", async ({ page, request }) => {
  const ranking = await (await request.get("/api/v1/public/projects")).json();
  const project = ranking[0];
  // The agency answers the citizen's question under their comment.
  const token = await staffToken(request, HOUSING);
  const comments = await (await request.get(`/api/v1/public/projects/${project.id}/comments`)).json();
  expect(comments.length).toBeGreaterThan(0);
  const answered = await request.post(`/api/v1/projects/${project.id}/comments/${comments[0].id}/answer`, {
    data: { answer: "第一批名单已公示，明年三月开工。" },
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(answered.status()).toBe(200);

  await page.goto(`/m/#/pages/project/index?id=${project.id}`);
  await expect(page.getByRole("heading", { name: project.title })).toBeVisible();
  await expect(page.locator("[data-test=origin]")).toContainText(`代表票决得 ${project.votes} 票`);
  await expect(page.locator("[data-test=delivery]")).toHaveText("实施中");
  await expect(page.locator("[data-test=place]")).toHaveText(`地点：${project.address}`);
  await expect(page.getByLabel("资金")).toContainText("已拨付");
  await expect(page.locator("[data-test=comment]").first()).toContainText("承办单位答复：第一批名单已公示");
  const record = page.getByLabel("项目记录");
  await expect(record.locator("[data-test=chain]")).toHaveText("记录完整，未被改动");
  await expect(record).toContainText("代表票决当选");
  await expect(record).toContainText("申请推迟「完成设计和招标」");
  await screenshot(page, "citizen-project-story");
  await accessible(page, "a project's story");
});
