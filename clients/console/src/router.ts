import { createRouter, createWebHashHistory, type RouteRecordRaw } from "vue-router";
import type { Schemas } from "./api/client";
import { is, session } from "./session";
import SignIn from "./views/account/SignIn.vue";
import Inbox from "./views/issues/Inbox.vue";
import IssuePage from "./views/issues/IssuePage.vue";

type Role = Schemas["Role"];
declare module "vue-router" {
  interface RouteMeta {
    title?: string;
    /** Who sees it in the menu and may open it. */
    roles?: Role[];
    /** Public: no sign-in needed. */
    open?: boolean;
  }
}

const OFFICIALS: Role[] = ["admin", "staff", "handler", "deputy"];
const STAFF: Role[] = ["admin", "staff"];

// The inbox and an issue's page are what everyone opens first; the rest loads when it is opened.
export const routes: RouteRecordRaw[] = [
  { path: "/sign-in", component: SignIn, meta: { open: true, title: "登录" } },
  { path: "/", redirect: "/inbox" },
  { path: "/inbox", component: Inbox, meta: { title: "待办", roles: OFFICIALS } },
  { path: "/issues", component: () => import("./views/issues/Issues.vue"), meta: { title: "问题", roles: OFFICIALS } },
  { path: "/issues/:id", component: IssuePage, meta: { title: "问题详情", roles: OFFICIALS } },
  { path: "/issues/:id/print", component: () => import("./views/issues/WorkOrder.vue"), meta: { title: "交办单", roles: OFFICIALS } },
  { path: "/report", component: () => import("./views/issues/Report.vue"), meta: { title: "随手拍", roles: ["deputy"] } },
  { path: "/deadlines", component: () => import("./views/supervision/Deadlines.vue"), meta: { title: "三色预警", roles: ["admin", "staff", "deputy"] } },
  { path: "/stats", component: () => import("./views/supervision/Stats.vue"), meta: { title: "统计分析", roles: STAFF } },
  { path: "/bulletins", component: () => import("./views/supervision/Bulletins.vue"), meta: { title: "民情专报", roles: STAFF } },
  { path: "/performance", component: () => import("./views/supervision/Performance.vue"), meta: { title: "履职积分", roles: ["admin", "staff", "deputy"] } },
  { path: "/voters", component: () => import("./views/deputies/Voters.vue"), meta: { title: "联系选民", roles: ["deputy"] } },
  { path: "/ballots", component: () => import("./views/projects/Ballots.vue"), meta: { title: "票决", roles: ["admin", "staff", "deputy"] } },
  { path: "/ballots/:id", component: () => import("./views/projects/BallotPage.vue"), meta: { title: "票决", roles: ["admin", "staff", "deputy"] } },
  { path: "/rounds", component: () => import("./views/projects/Rounds.vue"), meta: { title: "民生实事征集", roles: ["admin", "staff", "deputy"] } },
  { path: "/rounds/:id", component: () => import("./views/projects/RoundPage.vue"), meta: { title: "民生实事征集", roles: ["admin", "staff", "deputy"] } },
  { path: "/projects", component: () => import("./views/projects/Projects.vue"), meta: { title: "民生实事", roles: OFFICIALS } },
  { path: "/projects/:id", component: () => import("./views/projects/ProjectPage.vue"), meta: { title: "民生实事", roles: OFFICIALS } },
  { path: "/receptions", component: () => import("./views/deputies/Receptions.vue"), meta: { title: "接待日", roles: ["admin", "staff", "deputy"] } },
  { path: "/category-areas", component: () => import("./views/organisation/CategoryAreas.vue"), meta: { title: "本区分类", roles: STAFF } },
  { path: "/templates", component: () => import("./views/organisation/Templates.vue"), meta: { title: "知识库", roles: STAFF } },
  { path: "/stations", component: () => import("./views/organisation/Stations.vue"), meta: { title: "联络站", roles: STAFF } },
  { path: "/stations/:id/poster", component: () => import("./views/organisation/StationPoster.vue"), meta: { title: "联络站海报", roles: STAFF } },
  { path: "/organisation/:kind", component: () => import("./views/organisation/Organisation.vue"), meta: { title: "组织与配置", roles: STAFF } },
  { path: "/webhooks", component: () => import("./views/organisation/Webhooks.vue"), meta: { title: "推送地址", roles: ["admin"] } },
  { path: "/outbox", component: () => import("./views/organisation/Outbox.vue"), meta: { title: "消息投递", roles: ["admin"] } },
  { path: "/notifications", component: () => import("./views/account/Notifications.vue"), meta: { title: "通知", roles: OFFICIALS } },
  { path: "/me", component: () => import("./views/account/Profile.vue"), meta: { title: "我的", roles: OFFICIALS } },
  { path: "/:rest(.*)*", redirect: "/inbox" },
];

export const router = createRouter({ history: createWebHashHistory(), routes });

router.beforeEach((to) => {
  if (to.meta.open) return true;
  if (!session.me) return { path: "/sign-in", query: to.fullPath !== "/inbox" ? { next: to.fullPath } : {} };
  if (to.meta.roles && !is(...to.meta.roles)) return "/inbox";
  return true;
});

router.afterEach((to) => {
  document.title = `${to.meta.title ?? ""} · 民声`;
});
