// A deputy on a phone: 随手拍 with the camera (the file picker) and the phone's location, then urging an issue of
// their station that an agency is slow on.
import { expect, test } from "@playwright/test";
import { choose, photo, screenshot, signIn, WANG, watchPolicy } from "./support";

test.use({
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  geolocation: { latitude: 30.0405, longitude: 121.1525 },
  permissions: ["geolocation"],
});

test("a deputy reports with a photo and the phone's location, then urges", async ({ page }) => {
  const violations = watchPolicy(page);
  await signIn(page, WANG);
  const tabs = page.getByRole("navigation", { name: "主要功能" });
  await expect(tabs).toBeVisible();
  await screenshot(page, "deputy-inbox-phone");
  await tabs.getByRole("link", { name: "随手拍" }).click();

  await page.getByTestId("photo-input").setInputFiles({ name: "路灯.jpg", mimeType: "image/jpeg", buffer: await photo(page) });
  await expect(page.getByRole("img", { name: "已选照片 1" })).toBeVisible();
  await page.getByRole("button", { name: "获取当前位置" }).click();
  await expect(page.getByRole("status")).toContainText("已定位：30.0405, 121.1525");
  await page.getByLabel("问题描述").fill("阳明西路口两盏路灯不亮，过马路的老人看不清车辆。");
  await choose(page, "分类", "路灯照明");
  await page.getByLabel("详细地址").fill("凤山街道阳明西路口");
  await screenshot(page, "deputy-report-phone");
  await page.getByRole("button", { name: "提交" }).click();

  await expect(page.getByTestId("status")).toHaveText("待受理");
  await expect(page.getByRole("img", { name: "照片 1" })).toBeVisible();
  await expect(page.getByText("凤山街道阳明西路口", { exact: true })).toBeVisible();
  await screenshot(page, "deputy-issue-phone");

  // Urging needs an agency on it: an issue of the deputy's station in progress.
  await tabs.getByRole("link", { name: "问题" }).click();
  await page.getByLabel("搜索").fill("路面坑洼");
  await page.getByLabel("搜索").press("Enter");
  await page.getByText("路面坑洼影响通行").click();
  await page.getByRole("button", { name: "催办", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "催办" });
  await dialog.getByLabel("备注（选填）").fill("雨季将至，请尽快修复。");
  await dialog.getByRole("button", { name: "确定" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("region", { name: "办理过程" }).getByText("雨季将至，请尽快修复。")).toBeVisible();

  // 履职积分: their own points and place, no ranking of the others and no red error (it was a 403).
  await tabs.getByRole("link", { name: "履职积分" }).click();
  await expect(page.getByText(/年履职积分：\d+ \/ 100/)).toBeVisible();
  await expect(page.getByText(/在本选区代表中排名第 \d+ 位/)).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
  await expect(page.getByText("代表履职排名")).toHaveCount(0);
  await screenshot(page, "deputy-performance-phone");
  expect(violations).toEqual([]);
});
