// The mp-weixin build (dist/build/mp-weixin) loaded as WeChat would: app.js first, then a page at a time, rendered
// by miniprogram-simulate from the compiled WXML. wx.* is a stand-in that answers requests like the service and
// records navigation, so each test asserts on what a citizen would see and where a tap leads.
const path = require("path");
const simulate = require("miniprogram-simulate");

const root = path.join(__dirname, "../dist/build/mp-weixin");
const storage = {};
let answers = {};
const seen = [];

global.wx = {
  getStorageSync: (k) => storage[k] ?? "",
  setStorageSync: (k, v) => (storage[k] = v),
  removeStorageSync: (k) => delete storage[k],
  onNetworkStatusChange: () => {},
  request: (o) => {
    seen.push({ request: `${o.method} ${o.url}`, header: o.header });
    const key = Object.keys(answers).find((k) => o.url.endsWith(k));
    const [statusCode, data] = key ? answers[key] : [404, { status: 404, title: "Not Found", code: "not_found" }];
    setTimeout(() => o.success && o.success({ statusCode, data, header: {} }), 0);
  },
  navigateTo: (o) => seen.push({ navigateTo: o.url }),
  redirectTo: (o) => seen.push({ redirectTo: o.url }),
  setNavigationBarTitle: (o) => seen.push({ title: o.title }),
  showToast: () => {},
  getSystemInfoSync: () => ({ platform: "devtools", windowWidth: 375, pixelRatio: 2, language: "zh_CN", SDKVersion: "3.0.0" }),
  getAppBaseInfo: () => ({ SDKVersion: "3.0.0", language: "zh_CN", theme: "light", host: {} }),
  getDeviceInfo: () => ({ platform: "devtools", brand: "x", model: "x", system: "x", pixelRatio: 2 }),
  getWindowInfo: () => ({ windowWidth: 375, windowHeight: 700, pixelRatio: 2, screenWidth: 375, screenHeight: 700, statusBarHeight: 20, safeArea: {} }),
  canIUse: () => true,
};
let app;
global.App = (o) => (app = o);
global.getApp = () => app;
global.getCurrentPages = () => [];
// uni-app makes its pages with Component; the simulator provides Component, and Page as one.
global.Page = (o) => global.Component(o);

const settle = () => new Promise((r) => setTimeout(r, 20));

// A page's script registers it once (require caches it): each page is loaded once, rendered as often as needed.
const loaded = {};
function open(page, query = {}) {
  const id = (loaded[page] ??= simulate.load(path.join(root, page), { rootPath: root }));
  const view = simulate.render(id, {});
  view.attach(document.createElement("parent-wrapper"));
  // WeChat calls a page's onLoad with its query; uni-app's pages take it there.
  view.instance.onLoad && view.instance.onLoad(query);
  return view;
}

beforeAll(() => {
  require(path.join(root, "app.js"));
});
beforeEach(() => {
  seen.length = 0;
  answers = {};
});

test("the launch page offers reporting, one's issues and the public results, and leads there", async () => {
  const home = open("pages/home/index");
  await settle();
  expect(home.dom.textContent).toContain("随手拍 · 反映问题");
  expect(home.dom.textContent).toContain("结果网上评");
  home.querySelector(".btn").dispatchEvent("tap");
  await settle();
  expect(seen).toContainEqual({ navigateTo: "/pages/report/index" });
});

test("a plain QR code's scan (q) goes on to the scene's card", async () => {
  open("pages/home/index", { q: encodeURIComponent("https://minsheng.example.gov.cn/s/k7mq2xw9adf3hn4rtp8e") });
  await settle();
  expect(seen).toContainEqual({ redirectTo: "/pages/scene/index?scene=k7mq2xw9adf3hn4rtp8e" });
});

test("a station's code shows its card from the service, with its deputies", async () => {
  answers["/api/v1/scenes/k7mq2xw9adf3hn4rtp8e"] = [
    200,
    {
      scene: "k7mq2xw9adf3hn4rtp8e",
      kind: "station",
      station: {
        id: "0190b6a8-0000-7000-8000-000000000001",
        name: "凤山街道人大代表联络站",
        address: "余姚市凤山街道新建北路88号",
        region: { code: "330281001", name: "凤山街道" },
        reception_days: [{ every: "week", weekday: 3 }],
        deputies: [{ id: "0190b6a8-0000-7000-8000-000000000002", name: "王建国" }],
      },
    },
  ];
  const card = open("pages/scene/index", { scene: "k7mq2xw9adf3hn4rtp8e" });
  await settle();
  await settle();
  expect(seen[0].request).toBe("GET https://minsheng.example.gov.cn/api/v1/scenes/k7mq2xw9adf3hn4rtp8e");
  const text = card.dom.textContent;
  expect(text).toContain("凤山街道人大代表联络站");
  expect(text).toContain("每周三");
  expect(text).toContain("王建国 代表");
  // No "open in WeChat" button inside WeChat.
  expect(text).not.toContain("在微信小程序中打开");
  expect(seen).toContainEqual({ title: "凤山街道人大代表联络站" });
});

test("a code that leads nowhere says so plainly", async () => {
  const card = open("pages/scene/index", { scene: "nosuchscene" });
  await settle();
  await settle();
  expect(card.dom.textContent).toContain("这个二维码已失效");
});
