// Signing in: in WeChat, wx.login's code (no form: WeChat vouches for the person); in a phone browser, the sign-in
// page with a texted code. The scene the citizen scanned rides along, so their reports go to that station.
import { api, message } from "../api/client";
import { session } from "./session";

export function scannedScene(): string | undefined {
  const s = uni.getStorageSync("minsheng.scene") as string;
  return s || undefined;
}

/** Signed in, or on the way to the sign-in page (false). */
export async function signedIn(back: string): Promise<boolean> {
  if (session.user && (await session.token())) return true;
  // #ifdef MP-WEIXIN
  const code = await new Promise<string>((resolve, reject) =>
    uni.login({ provider: "weixin", success: (r) => resolve(r.code), fail: (e) => reject(e) }),
  );
  const r = await api.POST("/api/v1/auth/wechat", { body: { code, scene: scannedScene() } });
  if (r.data) {
    session.keep(r.data);
    return true;
  }
  uni.showToast({ title: message(r.error), icon: "none" });
  return false;
  // #endif
  // #ifndef MP-WEIXIN
  uni.navigateTo({ url: `/pages/signin/index?back=${encodeURIComponent(back)}` });
  return false;
  // #endif
}
