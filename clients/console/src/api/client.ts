// The one way the console talks to the service: the client openapi-fetch builds from the types openapi-typescript
// generated out of openapi/openapi.json (`npm run generate`). A change to the spec that breaks a screen breaks the build.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";
import { problemMessage } from "./problems";

export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];

// Typed for the JSON answers it reads: an endpoint that can also answer Markdown, CSV or Excel (bulletins,
// exports) is read as JSON here, and those formats are fetched as files elsewhere.
export const api = createClient<paths, "application/json">({ baseUrl: "" });

// The access token lives in this module's memory only: a reload trades the refresh cookie for a new one.
let accessToken: string | null = null;
let onSessionLost: (message: string) => void = () => {};
let refreshing: Promise<boolean> | null = null;
let refresher: (() => Promise<boolean>) | null = null;

export function setAccessToken(token: string | null) {
  accessToken = token;
}

/** Called once at start: how to refresh the session, and what to do when it is gone. */
export function onSession(refresh: () => Promise<boolean>, lost: (message: string) => void) {
  refresher = refresh;
  onSessionLost = lost;
}

/** One refresh at a time, however many requests found their token expired together. */
export function refreshOnce(): Promise<boolean> {
  if (!refresher) return Promise.resolve(false);
  refreshing ??= refresher().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

const retries = new WeakMap<Request, Request>();

const auth: Middleware = {
  onRequest({ request }) {
    // A ballot paper goes without the token: who cast it must not be knowable, not even from the service's logs.
    const anonymous = /\/api\/v1\/ballots\/[^/]+\/papers$/.test(new URL(request.url).pathname);
    if (
      accessToken &&
      !anonymous &&
      !request.url.includes("/api/v1/auth/password") &&
      !request.url.includes("/api/v1/auth/refresh")
    ) {
      request.headers.set("Authorization", `Bearer ${accessToken}`);
    }
    // Kept so that a request refused for an expired token can be sent again once the token is renewed.
    retries.set(request, request.clone());
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status !== 401 || request.url.includes("/api/v1/auth/")) return response;
    const problem = (await response.clone().json().catch(() => null)) as Problem | null;
    if (problem?.code !== "invalid_token") {
      if (problem?.code === "account_disabled") onSessionLost(problemMessage(problem));
      return response;
    }
    const again = retries.get(request);
    if (again && (await refreshOnce())) {
      again.headers.set("Authorization", `Bearer ${accessToken}`);
      return fetch(again);
    }
    onSessionLost("登录已失效，请重新登录");
    return response;
  },
};
api.use(auth);

/** A refused request, with the problem document's message in Chinese. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem ? problemMessage(problem) : `服务暂时无法处理请求（${status}）`);
  }
  get code(): string | undefined {
    return this.problem?.code;
  }
  /** The message for each field the problem names: the form shows each beside its field. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    const p = this.problem;
    if (!p) return out;
    for (const e of p.errors ?? []) out[e.field] = problemMessage({ code: e.code, status: p.status });
    if (p.field && !out[p.field]) out[p.field] = problemMessage(p);
    // `photo_ids[2]` is also shown beside the list it belongs to.
    for (const [field, message] of Object.entries(out)) {
      const list = field.split("[")[0]!;
      if (list !== field && !out[list]) out[list] = message;
    }
    return out;
  }
}

/** What a refused answer said, as a ProblemError (a body that is not a problem document leaves only the status). */
function refusal(result: { error?: unknown; response: Response }): ProblemError {
  const error = result.error;
  const problem = error && typeof error === "object" && "code" in error ? (error as Problem) : null;
  return new ProblemError(result.response.status, problem);
}

/** The answer's data, or a ProblemError. */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ProblemError(0, null);
  }
  if (result.response.ok) return result.data as T;
  throw refusal(result);
}

/** A fresh key for a command: a retry of the same click sends the same key. */
export function idempotencyKey(): string {
  // crypto.randomUUID needs a secure context; an intranet console may be served over plain http.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A binary answer (photo, QR code, bulletin) fetched with the token; call with `parseAs: "blob"`. */
export async function blobOf(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<Blob> {
  const result = await call;
  if (result.response.ok && result.data instanceof Blob) return result.data;
  throw refusal(result);
}
