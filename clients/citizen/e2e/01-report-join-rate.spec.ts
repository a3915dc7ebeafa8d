// The citizen's loop on the phone pages: a station's plain QR code → its card → 随手拍 with a photo and the place →
// the issue page; a neighbour with the same problem joins it instead of filing again (我也遇到); the agency replies;
// both rate it, the reporter's rating closing it.
import { test, expect, type Page } from "@playwright/test";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  accessible,
  HOUSING,
  PHOTO,
  STAFF,
  STATION_SCENE,
  command,
  phoneFor,
  screenshot,
  signInByText,
  staffToken,
  tokenOf,
  watchPolicy,
} from "./support";

test.describe.configure({ mode: "serial" });

const words = `小区门口路灯坏了一个多星期（${Date.now() % 100000}），晚上很黑。`;
let issueId = "";
/** The reporter's phone as they left it (the app's storage and the refresh cookie), to come back to it later. */
const reporterPhone = join(tmpdir(), `minsheng-reporter-${process.pid}.json`);

async function fillReport(page: Page, description: string) {
  await page.getByRole("radio", { name: "路灯照明" }).click();
  await page.getByLabel("问题描述").fill(description);
  await page.getByRole("button", { name: "使用我的位置" }).click();
  await expect(page.getByText("已定位（GPS坐标）")).toBeVisible();
}

test("a plain QR code opens the station's card, and a report with a photo and the place is filed", async ({ page, request }) => {
  const refused = watchPolicy(page);
  await page.goto(`/s/${STATION_SCENE}`);
  await expect(page).toHaveURL(/\/m\/#\/pages\/scene\/index\?scene=/);
  await expect(page.getByRole("heading", { name: "凤山街道人大代表联络站" })).toBeVisible();
  await expect(page.getByText("在站代表")).toBeVisible();
  await expect(page.getByRole("button", { name: "在微信小程序中打开" })).toBeVisible();
  await screenshot(page, "citizen-scene");

  await page.getByRole("button", { name: /反映问题/ }).click();
  await signInByText(page, request, phoneFor(1));
  await expect(page.getByRole("button", { name: "提交反映" })).toBeVisible();

  // A description too short is answered beside the field, and nothing is filed.
  await page.getByLabel("问题描述").fill("灯");
  await page.getByRole("button", { name: "提交反映" }).click();
  await expect(page.getByText("请把问题说清楚，至少5个字")).toBeVisible();

  await fillReport(page, words);
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "拍照 / 相册" }).click();
  await (await chooser).setFiles(PHOTO);
  await expect(page.getByLabel("照片1")).toBeVisible();
  // The map shows the point; a tap moves it.
  const map = page.getByRole("application", { name: /地图/ });
  await expect(map).toBeVisible();
  // A tap a little east of the pin moves the point there (some tens of metres).
  const pin = await page.locator(".pin").boundingBox();
  const box = await map.boundingBox();
  if (!pin || !box) throw new Error("the map draws its pin");
  await map.click({ position: { x: pin.x - box.x + pin.width / 2 + 12, y: pin.y - box.y + pin.height / 2 } });
  await page.getByLabel("详细地址").fill("凤山街道新建路小区门口");
  await screenshot(page, "citizen-report");
  await accessible(page, "report");
  await page.getByRole("button", { name: "提交反映" }).click();

  await expect(page.getByText("已提交。受理、转办、答复时都会通知您。")).toBeVisible();
  await expect(page.getByText("已提交，待受理").first()).toBeVisible();
  await expect(page.getByLabel("照片1")).toBeVisible();
  issueId = new URL(page.url().replace("#", "")).searchParams.get("id") ?? "";
  expect(issueId).not.toBe("");
  await screenshot(page, "citizen-issue");
  await accessible(page, "issue");

  // The service holds it as filed: at the scanned station, with its photo and a WGS-84 point near 凤山.
  const token = await tokenOf(page);
  const issue = await (await request.get(`/api/v1/issues/${issueId}`, { headers: { Authorization: `Bearer ${token}` } })).json();
  expect(issue.station.name).toBe("凤山街道人大代表联络站");
  expect(issue.photos).toHaveLength(1);
  expect(Math.abs(issue.location.latitude - 30.0411)).toBeLessThan(0.001);
  expect(issue.location.longitude).toBeGreaterThan(121.1519);
  expect(issue.location.longitude - 121.1519).toBeLessThan(0.002);
  expect(issue.category_code).toBe("streetlight");
  expect(refused).toEqual([]);
  await page.context().storageState({ path: reporterPhone });
});

test("a neighbour with the same problem is shown the open issue nearby and joins it instead of filing again", async ({ page, request }) => {
  const refused = watchPolicy(page);
  // Staff take it up at triage (a report made on the web pages waits for a person's reading before strangers see it).
  await command(request, await staffToken(request, STAFF), issueId, "accept");
  await page.goto(`/s/${STATION_SCENE}`);
  await page.getByRole("button", { name: /反映问题/ }).click();
  await signInByText(page, request, phoneFor(2));
  await fillReport(page, "我家门口的路灯也不亮了");
  await expect(page.getByText("附近已有人反映同类问题")).toBeVisible();
  await screenshot(page, "citizen-join");
  const joinButtons = page.getByRole("button", { name: /^我也遇到/ });
  const staff = await staffToken(request, STAFF);
  const number = (await (await request.get(`/api/v1/issues/${issueId}`, { headers: { Authorization: `Bearer ${staff}` } })).json()).number;
  await page.getByRole("button", { name: `我也遇到：${number}` }).click();
  await expect(page.getByText("已加入“我也遇到”")).toBeVisible();
  expect(await joinButtons.count()).toBe(0);

  // It is among their issues; staff see one more person behind it; nothing new was filed.
  await page.goto("/m/#/pages/mine/index");
  await expect(page.getByRole("link", { name: new RegExp(number) })).toBeVisible();
  const seen = await (await request.get(`/api/v1/issues/${issueId}`, { headers: { Authorization: `Bearer ${staff}` } })).json();
  expect(seen.join_count).toBe(1);
  const theirs = await (await request.get("/api/v1/issues", { headers: { Authorization: `Bearer ${await tokenOf(page)}` } })).json();
  expect(theirs.items.map((i: { id: string }) => i.id)).toEqual([issueId]);
  expect(refused).toEqual([]);
});

test("after the agency's reply the reporter rates it on the phone and it closes", async ({ browser, request }) => {
  const staff = await staffToken(request, STAFF);
  const housing = await staffToken(request, HOUSING);
  await command(request, staff, issueId, "route");
  await command(request, housing, issueId, "sign");
  await command(request, housing, issueId, "reply", { category: "A", reply: "已更换灯泡和线路，路灯恢复照明。" });

  // The reporter opens the notice on the same phone, still signed in.
  const phone = await browser.newContext({ ...test.info().project.use, storageState: reporterPhone });
  const page = await phone.newPage();
  await page.goto(`/m/#/pages/issue/index?id=${issueId}`);
  await expect(page.getByLabel("答复").getByText("已更换灯泡和线路，路灯恢复照明。")).toBeVisible();
  await expect(page.getByText("另有1人也遇到")).toBeVisible();
  await expect(page.getByText("我也遇到", { exact: true })).toBeVisible();
  // Rating without a choice is answered beside the choices.
  await page.getByRole("button", { name: "提交评价" }).click();
  await expect(page.getByText("请选择满意程度")).toBeVisible();
  await page.getByText("满意", { exact: true }).click();
  await screenshot(page, "citizen-rate");
  await accessible(page, "rating");
  await page.getByRole("button", { name: "提交评价" }).click();
  await expect(page.getByText("感谢您的评价。")).toBeVisible();
  await expect(page.getByText("已办结").first()).toBeVisible();
  const issue = await (await request.get(`/api/v1/issues/${issueId}`, { headers: { Authorization: `Bearer ${staff}` } })).json();
  expect(issue.status).toBe("closed");
  expect(issue.rating).toBe("satisfied");
  await phone.close();
});
