// Signing out on a shared office PC, and the interactive docs beside the console.
import { expect, test } from "@playwright/test";
import { signIn, STAFF, watchPolicy } from "./support";

/** The service's access tokens live 60 s here (tests/tests/service/console.rs), and the service allows 30 s of skew. */
const TOKEN_EXPIRED_AFTER_MS = 95_000;

test("退出 after the access token expired while the laptop slept ends the session and drops the refresh cookie", async ({
  page,
  context,
  request,
}) => {
  test.setTimeout(TOKEN_EXPIRED_AFTER_MS + 60_000);
  // The page's timers run on a clock the test holds: frozen, the console never renews its token — a laptop asleep,
  // or a background tab the browser throttled.
  await page.clock.install();
  await signIn(page, STAFF);
  await page.clock.pauseAt(new Date(Date.now() + 1_000));
  const cookie = (await context.cookies()).find((c) => c.name === "minsheng_refresh");
  expect(cookie, "signed in with a refresh cookie").toBeTruthy();
  expect(cookie!.httpOnly).toBe(true);

  await page.waitForTimeout(TOKEN_EXPIRED_AFTER_MS);
  const signedOut = page.waitForResponse((r) => r.url().includes("/api/v1/auth/logout"));
  await page.getByRole("button", { name: "退出", exact: true }).click();
  expect((await signedOut).status()).toBe(204);
  await expect(page.getByLabel("手机号")).toBeVisible();

  // The cookie is gone from the browser, and the session it named is over at the service.
  expect((await context.cookies()).find((c) => c.name === "minsheng_refresh")).toBeUndefined();
  const replay = await request.post("/api/v1/auth/refresh", {
    headers: { Cookie: `minsheng_refresh=${cookie!.value}` },
    data: {},
  });
  expect(replay.status()).toBe(401);
  // The next person to open the console on this PC meets the sign-in page.
  await page.reload();
  await expect(page.getByLabel("手机号")).toBeVisible();
  await expect(page.getByRole("link", { name: "通知" })).toHaveCount(0);
});

test("the interactive docs run under their own policy, cannot be framed, and keep no pasted token", async ({ page }) => {
  const violations = watchPolicy(page);
  const res = await page.goto("/docs/");
  const policy = res?.headers()["content-security-policy"] ?? "";
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("script-src 'self'");
  await expect(page.locator(".swagger-ui .info")).toBeVisible();
  await page.getByRole("button", { name: "Authorize" }).first().click();
  await page.locator(".auth-container input").first().fill("a-pasted-token");
  // The first scheme is the bearer token (the second, the metrics token).
  await page.getByRole("button", { name: "Apply credentials" }).first().click();
  await expect(page.getByRole("button", { name: "Remove authorization" }).first()).toBeVisible();
  await page.getByRole("button", { name: "Close" }).first().click();
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => localStorage.getItem(k)?.includes("a-pasted-token")));
  expect(kept).toEqual([]);
  await page.reload();
  await expect(page.locator(".swagger-ui .info")).toBeVisible();
  expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain("a-pasted-token");
  expect(violations).toEqual([]);
});
