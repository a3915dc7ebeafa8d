import { expect, type APIRequestContext, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export const PASSWORD = process.env.PASSWORD ?? "minsheng-demo-2026";
export const ADMIN = "13900000000";
export const STAFF = "13900000001";
export const WANG = "13900000011";
export const HOUSING = "13900000021";
/** The citizen's issue the Rust harness reported through the (fake) WeChat sign-in, for staff to triage. */
export const CITIZEN_ISSUE = process.env.ISSUE_TITLE ?? "";

const shots = process.env.SCREENSHOTS ?? "screenshots";
mkdirSync(shots, { recursive: true });

export async function signIn(page: Page, phone: string, password = PASSWORD) {
  await page.goto("/");
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("link", { name: "通知" })).toBeVisible();
}

/** Goes to a screen through the console's own navigation (the hash route). */
export async function open(page: Page, route: string) {
  await page.goto(`/console/#${route}`);
}

/** Waits for fades and transitions to end, so what is judged or pictured is what a person sees. */
async function settled(page: Page) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
}

export async function screenshot(page: Page, name: string) {
  await settled(page);
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** No critical or serious accessibility violation on what the page shows now. */
export async function accessible(page: Page, screen: string) {
  await settled(page);
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = result.violations
    .filter((v) => v.impact === "critical" || v.impact === "serious")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join("; ")}`);
  expect(bad, `accessibility of ${screen}`).toEqual([]);
}

/** Fails the test on any Content-Security-Policy violation: the console must run under its strict policy. */
export function watchPolicy(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  // The browser reports each refusal as an event too, also those it stops printing after the first few hundred.
  void page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
    );
  });
  return seen;
}

/** Moves the mouse across every chart on the page, so each draws its tooltips. */
export async function hoverCharts(page: Page) {
  const charts = page.locator(".chart canvas");
  const n = await charts.count();
  expect(n, "charts on the page").toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    const box = await charts.nth(i).boundingBox();
    if (!box) continue;
    for (let x = 0.1; x < 1; x += 0.2) {
      for (let y = 0.3; y < 1; y += 0.3) {
        await page.mouse.move(box.x + box.width * x, box.y + box.height * y);
        await page.waitForTimeout(30);
      }
    }
  }
}

/** Signs in through the API, for steps a test takes outside the browser (another person acting). */
export async function token(request: APIRequestContext, phone: string): Promise<{ token: string; id: string }> {
  const res = await request.post("/api/v1/auth/password", { data: { phone, password: PASSWORD } });
  expect(res.ok()).toBeTruthy();
  const body = await res.json();
  return { token: body.access_token, id: body.user.id };
}

/** A real JPEG, drawn by the browser itself: a street with a dark lamp. */
export async function photo(page: Page): Promise<Buffer> {
  const data: string = await page.evaluate(() => {
    const c = document.createElement("canvas");
    c.width = 640;
    c.height = 480;
    const g = c.getContext("2d")!;
    g.fillStyle = "#26303a";
    g.fillRect(0, 0, 640, 480);
    g.fillStyle = "#7a7f86";
    g.fillRect(0, 330, 640, 150);
    g.fillStyle = "#444";
    g.fillRect(300, 80, 12, 260);
    g.fillStyle = "#222";
    g.beginPath();
    g.arc(306, 80, 26, 0, Math.PI * 2);
    g.fill();
    return c.toDataURL("image/jpeg", 0.9);
  });
  return Buffer.from(data.split(",")[1]!, "base64");
}

/** Picks an option of an Element Plus select (its input sits under the shown value, so the click is forced). */
export async function choose(page: Page, label: string, option: string) {
  await page.getByRole("combobox", { name: label }).click({ force: true });
  await page.getByRole("option", { name: option }).click();
}

/**
 * Picks an option in the list named as its select, waiting for that list to open and to close again: for forms with
 * several selects listing the same options, and for dialogs where another picker may still be closing. A select of
 * several values stays open after a pick; Escape closes it (the select takes the key, not the dialog).
 */
export async function chooseIn(page: Page, label: string, option: string, multiple = false) {
  const list = page.getByRole("listbox", { name: label, exact: true });
  // A click that lands while another picker's popper is still closing opens nothing: click again until it opens.
  await expect(async () => {
    if (!(await list.isVisible())) {
      await page.getByRole("combobox", { name: label, exact: true }).click({ force: true });
    }
    await expect(list).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 10_000 });
  await list.getByRole("option", { name: option }).click();
  if (multiple) await page.keyboard.press("Escape");
  await expect(list).toBeHidden();
}
