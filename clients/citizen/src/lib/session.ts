// Who is signed in. The access token lives in memory and storage; the refresh token in the mini-program's storage,
// or — on the phone web pages — in the service's HttpOnly cookie, which no script here can read.
import { reactive } from "vue";
import type { components } from "../api/schema";

type Me = components["schemas"]["Me"];
type Tokens = components["schemas"]["TokenResponse"];
type Stored = { access: string; expiresAt: number; refresh: string | null; user: Me };

const KEY = "minsheng.session";

function load(): Stored | null {
  const s = uni.getStorageSync(KEY) as Stored | "";
  return s && typeof s === "object" && s.access ? s : null;
}

const state = reactive<{ stored: Stored | null }>({ stored: load() });

function post(path: string, body: object): Promise<{ status: number; data: unknown }> {
  return new Promise((resolve) => {
    uni.request({
      url: __API_ORIGIN__ + path,
      method: "POST",
      header: { "Content-Type": "application/json", Accept: "application/json" },
      data: body,
      withCredentials: true,
      success: (r) => resolve({ status: r.statusCode, data: r.data }),
      fail: () => resolve({ status: 0, data: null }),
    });
  });
}

let renewing: Promise<string | null> | null = null;

export const session = {
  /** The signed-in citizen, or null. */
  get user(): Me | null {
    return state.stored?.user ?? null;
  },
  /** Keeps what a sign-in answered. */
  keep(t: Tokens) {
    const stored: Stored = {
      access: t.access_token,
      expiresAt: Date.now() + t.expires_in * 1000,
      refresh: t.refresh_token ?? null,
      user: t.user,
    };
    state.stored = stored;
    uni.setStorageSync(KEY, stored);
  },
  forget() {
    state.stored = null;
    uni.removeStorageSync(KEY);
  },
  /** A token good for the next request, renewed first when it is about to expire; null when signed out. */
  async token(): Promise<string | null> {
    const s = state.stored;
    if (!s) return null;
    if (s.expiresAt - Date.now() > 30_000) return s.access;
    return session.renewed();
  },
  /** A new token from the refresh token; null (and signed out) when the service refuses it. */
  renewed(): Promise<string | null> {
    renewing ??= (async () => {
      const s = state.stored;
      if (!s) return null;
      const r = await post("/api/v1/auth/refresh", s.refresh ? { refresh_token: s.refresh } : {});
      if (r.status === 200) {
        const t = r.data as Tokens;
        session.keep({ ...t, refresh_token: t.refresh_token ?? s.refresh });
        return t.access_token;
      }
      if (r.status !== 0) session.forget();
      return null;
    })().finally(() => {
      renewing = null;
    });
    return renewing;
  },
};
