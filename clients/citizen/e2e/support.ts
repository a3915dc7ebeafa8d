import { expect, type APIRequestContext, type Page, type BrowserContext } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export const PASSWORD = process.env.PASSWORD ?? "minsheng-demo-2026";
export const STAFF = "13900000001";
export const HOUSING = "13900000021";
/** The 凤山 station's scene, as its plain QR code carries it. */
export const STATION_SCENE = process.env.STATION_SCENE ?? "";
/** An elected project's scene (码上监督). */
export const PROJECT_SCENE = process.env.PROJECT_SCENE ?? "";
/** The SMS stand-in's window on a phone's texts. */
const SMS_INBOX = process.env.SMS_INBOX ?? "";
/** A WGS-84 point inside 凤山街道, where the phone is. */
export const HERE = { latitude: 30.0411, longitude: 121.1519 };

const shots = process.env.SCREENSHOTS ?? "screenshots";
mkdirSync(shots, { recursive: true });

/** A phone number of its own for each test citizen, so that the per-phone limits never meet. */
export function phoneFor(n: number): string {
  return `13${RUN}${n}`;
}
/** Eight digits of this run, so that a run after another on the same service meets no code cool-down. */
const RUN = String(Date.now()).slice(-8);

/** Signs in on the sign-in page the app opened, with the code the SMS stand-in took for that phone. */
export async function signInByText(page: Page, request: APIRequestContext, phone: string) {
  await expect(page.getByRole("heading", { name: "手机号登录" })).toBeVisible();
  await page.getByRole("spinbutton", { name: "手机号码" }).fill(phone);
  await page.getByRole("button", { name: "获取验证码" }).click();
  await expect(page.getByText("验证码已发送")).toBeVisible();
  const r = await request.get(`${SMS_INBOX}/inbox/${phone}`);
  expect(r.status()).toBe(200);
  const { code } = (await r.json()) as { code: string };
  await page.getByRole("spinbutton", { name: "验证码" }).fill(code);
  await page.getByRole("button", { name: "登录" }).click();
}

/** The access token the app keeps, to check outcomes through the API as the same citizen. */
export async function tokenOf(page: Page): Promise<string> {
  return page.evaluate(() => {
    const raw = localStorage.getItem("minsheng.session") ?? "";
    // uni-app keeps storage as {"type":"object","data":{...}}.
    const kept = JSON.parse(raw) as { data?: { access?: string }; access?: string };
    return kept.data?.access ?? kept.access ?? "";
  });
}

export async function staffToken(request: APIRequestContext, phone: string): Promise<string> {
  const r = await request.post("/api/v1/auth/password", { data: { phone, password: PASSWORD } });
  expect(r.status()).toBe(200);
  return ((await r.json()) as { access_token: string }).access_token;
}

export async function command(request: APIRequestContext, token: string, id: string, what: string, body: object = {}) {
  const r = await request.post(`/api/v1/issues/${id}/${what}`, {
    data: body,
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(r.status(), `${what}: ${await r.text()}`).toBeLessThan(300);
  return r.json();
}

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

/** Collects Content-Security-Policy refusals: the pages must run under their strict policy. */
export function watchPolicy(page: Page | BrowserContext): string[] {
  const seen: string[] = [];
  const watch = (p: Page) => {
    p.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy/i.test(m.text())) seen.push(m.text());
    });
    void p.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
      );
    });
  };
  if ("pages" in page) page.on("page", watch);
  else watch(page);
  return seen;
}

/** A photo from the phone's camera: a real JPEG the Rust harness wrote (with the camera's EXIF). */
export const PHOTO = process.env.PHOTO ?? "";
