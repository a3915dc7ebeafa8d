// A deputy on a ballot's roster votes on a phone: checked in with a blinded token, the paper cast in a step of its
// own without their sign-in, and its receipt found among the papers.
import { expect, test } from "@playwright/test";
import { screenshot, signIn, WANG } from "./support";

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test("a deputy votes in a ballot by secret, blind-signed paper", async ({ page }) => {
  const papers: Record<string, string>[] = [];
  page.on("request", (r) => {
    if (/\/api\/v1\/ballots\/[^/]+\/papers$/.test(r.url())) papers.push(r.headers());
  });
  await signIn(page, WANG);
  await page.goto("/console/#/ballots");
  await page.getByRole("link", { name: "2027年余姚市民生实事候选项目代表票决" }).click();
  await expect(page.getByTestId("phase")).toHaveText("投票中");
  const vote = page.getByRole("region", { name: "投票" });
  await vote.getByText("社区居家养老服务中心建设", { exact: true }).click();
  await expect(vote.getByRole("checkbox", { name: "社区居家养老服务中心建设" })).toBeChecked();
  await screenshot(page, "deputy-ballot-phone");
  // Two steps, two clicks: the paper is taken (checked in) first, and cast when the deputy says so.
  const checkedIn = page.waitForResponse((r) => /\/check-in$/.test(r.url()));
  await vote.getByRole("button", { name: "签到领票" }).click();
  const answer = await checkedIn;
  expect(answer.status()).toBe(200);
  // The check-in's connection is closed after it: the paper goes on a connection of its own.
  expect(answer.headers()["connection"]).toBe("close");
  await expect(vote.getByTestId("paper-taken")).toBeVisible();
  await screenshot(page, "deputy-ballot-taken-phone");
  expect(papers).toHaveLength(0);
  await vote.getByRole("button", { name: "现在投出" }).click();

  await expect(page.getByText("投票成功")).toBeVisible();
  const receipt = (await page.getByTestId("receipt").textContent())?.trim() ?? "";
  expect(receipt.length).toBeGreaterThan(10);
  await page.getByRole("button", { name: "核对回执" }).click();
  await expect(page.getByText("已计入")).toBeVisible();
  // The paper went without the deputy's sign-in: nothing on it says who cast it.
  expect(papers).toHaveLength(1);
  expect(papers[0]).not.toHaveProperty("authorization");

  // Once cast, the ballot no longer offers a paper.
  await page.reload();
  await expect(page.getByRole("region", { name: "投票" })).toHaveCount(0);
  await expect(page.getByText("您已签到领取选票。")).toBeVisible();
});
