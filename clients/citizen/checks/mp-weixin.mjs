// What WeChat would refuse, or what would reach beyond the service, checked on the mp-weixin build
// (dist/build/mp-weixin) before anyone uploads it:
// - app.json lists pages, and every page has its four files;
// - the main package stays under WeChat's 2 MB (each sub-package too), the whole under 20 MB;
// - the privacy guide is on (`__usePrivacyCheck__`), the location APIs are declared (`requiredPrivateInfos`,
//   `permission`), and code that asks for location, photos or the phone number asks for privacy consent first
//   (`wx.requirePrivacyAuthorize`);
// - no host in the code but the configured service (MINSHENG_API_ORIGIN), hidden ones included: strings built with
//   String.fromCharCode are decoded and searched too.
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("../dist/build/mp-weixin/", import.meta.url).pathname;
const origin = process.env.MINSHENG_API_ORIGIN ?? "https://minsheng.example.gov.cn";
const MB = 1024 * 1024;
// Links inside the text of warnings (documentation pages); nothing requests them.
const MESSAGE_LINKS = new Set(["uniapp.dcloud.net.cn", "vuejs.org"]);
const failures = [];
const fail = (m) => failures.push(m);

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

if (!existsSync(join(root, "app.json"))) {
  console.error(`no mini-program build at ${root}: run npm run build:mp-weixin`);
  process.exit(1);
}
const app = JSON.parse(readFileSync(join(root, "app.json"), "utf8"));
if (!Array.isArray(app.pages) || app.pages.length === 0) fail("app.json lists no pages");
const subRoots = (app.subPackages ?? app.subpackages ?? []).map((s) => s.root.replace(/\/$/, ""));
const pages = [...(app.pages ?? []), ...(app.subPackages ?? []).flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))];
for (const page of pages)
  for (const ext of [".js", ".json", ".wxml", ".wxss"])
    if (!existsSync(join(root, page + ext)) && ext !== ".wxss") fail(`page ${page} has no ${ext}`);

const all = files(root);
const size = (list) => list.reduce((n, f) => n + statSync(f).size, 0);
const inSub = (f) => subRoots.find((r) => relative(root, f).startsWith(`${r}/`));
const main = all.filter((f) => !inSub(f));
const mainSize = size(main);
if (mainSize >= 2 * MB) fail(`the main package is ${mainSize} bytes: WeChat refuses more than 2 MB (move pages to sub-packages)`);
for (const r of subRoots) {
  const s = size(all.filter((f) => inSub(f) === r));
  if (s >= 2 * MB) fail(`sub-package ${r} is ${s} bytes: more than 2 MB`);
}
if (size(all) >= 20 * MB) fail("the whole mini-program is over 20 MB");

if (app.__usePrivacyCheck__ !== true) fail("app.json: __usePrivacyCheck__ is not true");
const code = all.filter((f) => /\.(js|wxml|json)$/.test(f)).map((f) => [f, readFileSync(f, "utf8")]);
const text = code.map(([, t]) => t).join("\n");
if (/getLocation|chooseLocation/.test(text.replace(/"requiredPrivateInfos"[^\]]*\]/, ""))) {
  for (const api of ["getLocation"])
    if (new RegExp(`\\b${api}\\(`).test(text) && !(app.requiredPrivateInfos ?? []).includes(api))
      fail(`${api} is called but not in requiredPrivateInfos`);
  if (!app.permission?.["scope.userLocation"]?.desc) fail("location is used but permission.scope.userLocation has no desc");
}
for (const [f, t] of code) {
  const asks = /\.(getLocation|chooseImage|chooseMedia|chooseLocation)\(|open-type="getPhoneNumber"/.test(t);
  if (!asks) continue;
  // The page (a template's script beside it) or the helper it imports asks for consent first.
  const script = f.endsWith(".wxml") ? readFileSync(f.replace(/\.wxml$/, ".js"), "utf8") : t;
  const viaHelper = /require\("[^"]*lib\/device\.js"\)/.test(script) || /requirePrivacyAuthorize/.test(script);
  if (!viaHelper) fail(`${relative(root, f)} asks for private data without wx.requirePrivacyAuthorize`);
}
if (!/requirePrivacyAuthorize/.test(text)) fail("nothing calls wx.requirePrivacyAuthorize");

const allowed = new URL(origin).host;
const hosts = new Map();
const note = (host, f) => hosts.set(host, [...(hosts.get(host) ?? []), relative(root, f)]);
for (const [f, t] of code) {
  for (const m of t.matchAll(/(?:https?|wss?):\/\/([a-zA-Z0-9.-]+\.[a-zA-Z]{2,})/g)) note(m[1], f);
  for (const m of t.matchAll(/String\.fromCharCode\(([\d,\s]+)\)/g)) {
    const s = String.fromCharCode(...m[1].split(",").map(Number));
    for (const h of s.matchAll(/([a-zA-Z0-9-]+\.)+[a-zA-Z]{2,}/g)) note(h[0], f);
  }
  if (/\.preloadAssets\(/.test(t) && !/if\(!1\)/.test(t)) fail(`${relative(root, f)} preloads assets from elsewhere`);
}
for (const [host, where] of hosts)
  if (host !== allowed && !MESSAGE_LINKS.has(host)) fail(`host ${host} in ${[...new Set(where)].join(", ")}: only ${allowed} may be named`);
if (!hosts.has(allowed)) fail(`the configured service ${allowed} is not in the build`);

if (failures.length) {
  console.error(`mp-weixin build refused:\n- ${failures.join("\n- ")}`);
  process.exit(1);
}
console.log(
  `mp-weixin build checked: ${pages.length} pages, main package ${(mainSize / 1024).toFixed(0)} KB of 2048, privacy check on, only ${allowed} named`,
);
