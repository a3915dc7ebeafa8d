// Who is signed in. The access token is kept in memory (api/client.ts); the refresh token is an HttpOnly,
// SameSite=Strict cookie scoped to /api/v1/auth that no script on the page can read, so an injected script can
// use the session while the page is open but cannot carry it away. A reload trades the cookie for a new token.
import { reactive } from "vue";
import { api, must, onSession, setAccessToken, type Schemas } from "./api/client";

export const session = reactive({
  me: null as Schemas["Me"] | null,
  /** Why the last session ended, shown on the sign-in page. */
  ended: "" as string,
  ready: false,
});

let timer: ReturnType<typeof setTimeout> | undefined;

// Whether this browser may hold a refresh cookie: set at sign-in, gone at sign-out. It is no secret (the cookie is
// the credential, and no script can read it); it spares a first visit a refresh that can only be refused — a red
// 401 in the console of every fresh browser.
const HINT = "minsheng.signed-in";
const hint = {
  set: () => localStorage.setItem(HINT, "1"),
  clear: () => localStorage.removeItem(HINT),
  present: () => localStorage.getItem(HINT) === "1",
};

function take(tokens: Schemas["TokenResponse"]) {
  hint.set();
  setAccessToken(tokens.access_token);
  session.me = tokens.user;
  session.ended = "";
  clearTimeout(timer);
  // Renew a minute before the access token runs out, so a clerk working all day is never interrupted.
  timer = setTimeout(() => void renew(), Math.max(30, tokens.expires_in - 60) * 1000);
}

function drop(message: string) {
  hint.clear();
  clearTimeout(timer);
  setAccessToken(null);
  if (session.me) session.ended = message;
  session.me = null;
}

async function renew(): Promise<boolean> {
  const { data } = await api.POST("/api/v1/auth/refresh", { body: {} });
  if (!data) {
    drop("登录已过期，请重新登录");
    return false;
  }
  take(data);
  return true;
}

onSession(renew, drop);

export async function signIn(phone: string, password: string) {
  take(await must(api.POST("/api/v1/auth/password", { body: { phone, password, refresh_token_in: "cookie" } })));
}

/** On load: a refresh cookie from an earlier visit signs in again without asking. */
export async function restore() {
  try {
    if (hint.present()) await renew();
  } finally {
    session.ended = "";
    session.ready = true;
  }
}

/**
 * Signs out. The service ends the session named by the access token — expired or not, as after a laptop slept — and
 * the one named by the refresh cookie, and every answer it gives, a refusal too, tells the browser to drop the cookie.
 * So signing out is done once the service answered: until then the cookie may still be there, and the next person at
 * this PC could open the session with it. Throws, leaving the session shown, when the service could not be reached.
 */
export async function signOut(everywhere = false) {
  const answered = await api
    .POST("/api/v1/auth/logout", { params: { query: { everywhere } } })
    .then(({ response }) => response.status === 204 || response.status === 401)
    .catch(() => false);
  if (!answered) throw new Error("退出未完成：无法连接服务，请检查网络后再点一次“退出”");
  drop("");
  session.ended = "";
}

export function roles(): Schemas["Role"][] {
  return session.me?.roles ?? [];
}

export function is(...wanted: Schemas["Role"][]): boolean {
  return roles().some((r) => wanted.includes(r));
}
