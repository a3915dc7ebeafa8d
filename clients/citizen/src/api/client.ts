// The one way the app talks to the service: typed by the client openapi-typescript generates from
// openapi/openapi.json (src/api/schema.d.ts) with openapi-fetch's request and answer types, and carried by
// uni.request, which both builds have (a mini-program has no fetch). An API change that breaks a screen breaks the
// build.
import type { FetchResponse, MaybeOptionalInit } from "openapi-fetch";
import type { PathsWithMethod } from "openapi-typescript-helpers";
import type { components, paths } from "./schema";
import { session } from "../lib/session";
import { problemMessage } from "../../../shared/problems";

export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];
type Method = "get" | "post" | "put" | "delete" | "patch";
/** What a successful answer carries: openapi-fetch's `data` for that path and method. */
export type Data<P extends keyof paths, M extends Method> =
  paths[P][M] extends infer O extends Record<string | number, unknown>
    ? NonNullable<Extract<FetchResponse<O, object, "application/json">, { error?: never }>["data"]>
    : never;
type Init<P extends keyof paths, M extends Method> = MaybeOptionalInit<paths[P], M> & {
  /** An `Idempotency-Key`: a retry of the same command answers the first. */
  idempotencyKey?: string;
};
export type Answer<T> =
  | { data: T; error?: never; status: number; headers: Record<string, string> }
  | { data?: never; error: Problem; status: number; headers: Record<string, string> };

/** The service's origin: the page's own in H5, the configured one in the mini-program. */
export const origin = __API_ORIGIN__;

/** No answer at all (no signal, the service unreachable): the caller may keep the request for later. */
export class Offline extends Error {
  constructor() {
    super("网络不可用");
  }
}

type Loose = {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown> };
  body?: unknown;
  idempotencyKey?: string;
};

export function url(path: string, init?: Loose): string {
  let p = path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(String(init?.params?.path?.[k] ?? "")));
  const q: string[] = [];
  for (const [k, v] of Object.entries(init?.params?.query ?? {})) {
    if (v === undefined || v === null || v === "") continue;
    for (const one of Array.isArray(v) ? v : [v]) q.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(one))}`);
  }
  if (q.length) p += `?${q.join("&")}`;
  return origin + p;
}

function send(method: Method, path: string, init: Loose | undefined, token: string | null) {
  return new Promise<{ status: number; data: unknown; headers: Record<string, string> }>((resolve, reject) => {
    const header: Record<string, string> = { Accept: "application/json" };
    if (token) header.Authorization = `Bearer ${token}`;
    if (init?.idempotencyKey) header["Idempotency-Key"] = init.idempotencyKey;
    if (init?.body !== undefined) header["Content-Type"] = "application/json";
    uni.request({
      url: url(path, init),
      method: method.toUpperCase() as "GET",
      header,
      data: init?.body === undefined ? undefined : (init.body as object),
      dataType: "json",
      // H5: the refresh cookie rides along (same origin).
      withCredentials: true,
      success: (r) => resolve({ status: r.statusCode, data: r.data, headers: (r.header ?? {}) as Record<string, string> }),
      fail: () => reject(new Offline()),
    });
  });
}

async function request<P extends keyof paths, M extends Method>(
  method: M,
  path: P,
  init?: Init<P, M>,
): Promise<Answer<Data<P, M>>> {
  const loose = init as Loose | undefined;
  let token = await session.token();
  let r = await send(method, path as string, loose, token);
  if (r.status === 401 && token) {
    token = await session.renewed();
    if (token) r = await send(method, path as string, loose, token);
  }
  if (r.status >= 200 && r.status < 300) return { data: r.data as Data<P, M>, status: r.status, headers: r.headers };
  const error = (typeof r.data === "object" && r.data ? r.data : { title: String(r.data ?? ""), status: r.status }) as Problem;
  return { error, status: r.status, headers: r.headers };
}

export const api = {
  GET: <P extends PathsWithMethod<paths, "get">>(path: P, init?: Init<P, "get">) => request("get", path, init),
  POST: <P extends PathsWithMethod<paths, "post">>(path: P, init?: Init<P, "post">) => request("post", path, init),
  PUT: <P extends PathsWithMethod<paths, "put">>(path: P, init?: Init<P, "put">) => request("put", path, init),
  DELETE: <P extends PathsWithMethod<paths, "delete">>(path: P, init?: Init<P, "delete">) =>
    request("delete", path, init),
};

/** The words to show beside each field a refusal names, in Chinese by each error's code (the console's words). */
export function fieldErrors(p: Problem | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of p?.errors ?? []) if (e.field && !out[e.field]) out[e.field] = problemMessage({ code: e.code, status: p?.status });
  if (p?.field && !out[p.field]) out[p.field] = problemMessage(p);
  return out;
}

/** The words to show for a refusal, in Chinese by its code; the service's English `detail` is for integrators. */
export function message(p: Problem | undefined): string {
  return p ? problemMessage(p) : "出错了，请稍后再试";
}
