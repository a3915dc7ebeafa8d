// WeChat subscribe messages may be asked for only right after the citizen did something (filing, rating): each
// "accept" lets the service send one message. The answers go to the service, which spends them.
import { api } from "../api/client";

export async function askToBeTold(): Promise<void> {
  // #ifdef MP-WEIXIN
  const tmplIds = __TEMPLATES__;
  if (!tmplIds.length) return;
  const answers = await new Promise<Record<string, string>>((resolve) =>
    uni.requestSubscribeMessage({
      tmplIds,
      success: (r) => {
        const out: Record<string, string> = {};
        const said = r as unknown as Record<string, unknown>;
        for (const id of tmplIds) if (typeof said[id] === "string") out[id] = String(said[id]);
        resolve(out);
      },
      fail: () => resolve({}),
    } as UniApp.RequestSubscribeMessageOption),
  );
  if (Object.keys(answers).length) await api.POST("/api/v1/wechat/subscriptions", { body: { answers } });
  // #endif
}
