// The citizen's report-and-rate flow, as a client team would write it: every call goes through the client that
// openapi-typescript generated from openapi/openapi.json, so a change to the spec that breaks client code breaks
// this build. tests/tests/service/contract.rs runs it against the live service with these settings:
//   MINSHENG_URL   the service
//   WECHAT_CODE    a login code the (fake) WeChat accepts, SCENE the station's QR scene
//   STAFF_PHONE, HANDLER_PHONE, PASSWORD   the demo staff member and the agency handler who answer the report
import createClient from "openapi-fetch";
import { randomUUID } from "node:crypto";
import type { components, paths } from "./schema.js";

type Issue = components["schemas"]["IssueView"];

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const client = createClient<paths>({ baseUrl: env("MINSHENG_URL") });
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

function ok<T>(step: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    throw new Error(`${step} answered ${result.response.status}: ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

async function passwordSignIn(phone: string): Promise<string> {
  const res = await client.POST("/api/v1/auth/password", { body: { phone, password: env("PASSWORD") } });
  return ok(`sign-in ${phone}`, res).access_token;
}

async function command(
  step: "accept" | "route" | "sign",
  token: string,
  id: string,
): Promise<Issue> {
  const res = await client.POST(`/api/v1/issues/{id}/${step}`, {
    params: { path: { id }, header: { "Idempotency-Key": randomUUID() } },
    headers: bearer(token),
    body: {},
  });
  return ok(step, res);
}

const citizen = ok(
  "WeChat sign-in",
  await client.POST("/api/v1/auth/wechat", { body: { code: env("WECHAT_CODE"), scene: env("SCENE") } }),
).access_token;

const me = ok("me", await client.GET("/api/v1/me", { headers: bearer(citizen) }));
if (!me.roles.includes("citizen")) throw new Error(`signed in as ${me.roles.join(", ")}, not a citizen`);

// 报: the report, sent with an Idempotency-Key and sent again, as a phone on a bad network would.
const key = randomUUID();
const report = {
  params: { header: { "Idempotency-Key": key } },
  headers: bearer(citizen),
  body: {
    description: "新建路南段的路灯坏了一个多星期，晚上很黑，老人走路不安全。",
    title: "新建路路灯不亮",
    category_code: "streetlight",
    location: { latitude: 30.0437, longitude: 121.1546, address: "凤山街道新建路" },
  },
};
const reported = ok("report", await client.POST("/api/v1/issues", report));
const again = await client.POST("/api/v1/issues", report);
if (ok("report again", again).id !== reported.id || again.response.headers.get("idempotent-replayed") !== "true") {
  throw new Error("a retried report made a second issue");
}

// 议 and 办: staff accept and route it; the agency signs and replies.
const staff = await passwordSignIn(env("STAFF_PHONE"));
const handler = await passwordSignIn(env("HANDLER_PHONE"));
await command("accept", staff, reported.id);
await command("route", staff, reported.id);
await command("sign", handler, reported.id);
const replied = ok(
  "reply",
  await client.POST("/api/v1/issues/{id}/reply", {
    params: { path: { id: reported.id }, header: { "Idempotency-Key": randomUUID() } },
    headers: bearer(handler),
    body: { category: "A", reply: "已更换灯杆和线路，路灯恢复照明。" },
  }),
);
if (!replied.allowed_actions.includes("rate") && replied.status !== "replied") {
  throw new Error(`after the reply the issue is ${replied.status}`);
}

// 评: the citizen sees the reply on their own list and rates it; a satisfied rating closes the issue.
const mine = ok("my issues", await client.GET("/api/v1/issues", { params: { query: { limit: 20 } }, headers: bearer(citizen) }));
const listed = mine.items.find((i) => i.id === reported.id);
if (!listed) throw new Error("the citizen's list does not show their report");
const rated = ok(
  "rate",
  await client.POST("/api/v1/issues/{id}/ratings", {
    params: { path: { id: reported.id }, header: { "Idempotency-Key": randomUUID() } },
    headers: bearer(citizen),
    body: { rating: "satisfied", comment: "修得很快，谢谢" },
  }),
);
const timeline = ok(
  "timeline",
  await client.GET("/api/v1/issues/{id}/timeline", { params: { path: { id: reported.id } }, headers: bearer(citizen) }),
);

console.log(
  JSON.stringify({
    id: reported.id,
    number: reported.number,
    status: rated.status,
    events: timeline.map((e) => e.kind),
  }),
);
