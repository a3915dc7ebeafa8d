// The glossary's words (../shared/DOMAIN.md) as the console shows them.
import type { Schemas } from "./api/client";

export const STATUS: Record<Schemas["Status"], string> = {
  submitted: "待受理",
  accepted: "已受理",
  declined: "不予受理",
  merged: "已合并",
  routed: "已交办",
  signed: "已签收",
  in_progress: "办理中",
  replied: "已答复",
  reopened: "重新办理",
  closed: "已办结",
};

export const ACTION: Record<Schemas["Action"], string> = {
  accept: "受理",
  decline: "不予受理",
  merge: "合并",
  cosign: "联名附议",
  join: "我也遇到",
  route: "交办",
  sign: "签收",
  "send-back": "退回",
  progress: "报告进展",
  "request-extension": "申请延期",
  "decide-extension": "审批延期",
  reply: "答复",
  rate: "评价",
  reopen: "重新办理",
  convert: "转为代表建议",
  comment: "留言",
  urge: "催办",
  "key-supervision": "挂牌督办",
  "site-visit": "实地察看",
  "follow-up": "回访",
  withhold: "不予公开",
  publish: "公开",
};

export const WARNING: Record<Schemas["Warning"], string> = { green: "正常", yellow: "临期", red: "超期" };
export const WARNING_TAG: Record<Schemas["Warning"], "success" | "warning" | "danger"> = {
  green: "success",
  yellow: "warning",
  red: "danger",
};

export const STAGE: Record<Schemas["Stage"], string> = {
  sign: "签收",
  reply: "答复",
  rereply: "重新答复",
  suggestion: "建议办理",
  rate: "评价",
};

/** The board's stages: an issue's, or an elected project's milestone. */
export const BOARD_STAGE: Record<Schemas["BoardStage"], string> = { ...STAGE, milestone: "项目节点" };

export const REASON: Record<Schemas["Reason"], string> = {
  from_voters: "选民反映",
  to_triage: "待受理",
  to_route: "待交办",
  to_decide: "待审批延期",
  to_sign: "待签收",
  to_reply: "待答复",
  to_rate: "待评价",
  overdue: "已超期",
  urged: "被催办",
};

export const ROLE: Record<Schemas["Role"], string> = {
  admin: "系统管理员",
  staff: "人大工作人员",
  deputy: "人大代表",
  handler: "承办单位经办人",
  citizen: "群众",
};

export const RATING: Record<Schemas["Rating"], string> = {
  satisfied: "满意",
  basically_satisfied: "基本满意",
  dissatisfied: "不满意",
};

export const REPLY_CATEGORY: Record<Schemas["ReplyCategory"], string> = {
  A: "A 类（已解决或采纳）",
  B: "B 类（列入计划逐步解决）",
  C: "C 类（受条件限制暂难解决，已说明）",
};

/** Timeline events: the commands, and what the worker records as deadlines pass. */
export const EVENT: Record<string, string> = {
  report: "反映",
  ...ACTION,
  "decide-extension": "延期审批",
  "deadline-warn": "临期提醒",
  "deadline-due": "超期",
  "deadline-escalate": "超期升级督办",
  "close-unrated": "逾期未评价，自动办结",
};

const time = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

/** A moment as Beijing time. */
export function when(at: string | null | undefined): string {
  return at ? time.format(new Date(at)) : "—";
}

export function percent(rate: { percent?: number | null } | undefined): string {
  return rate?.percent == null ? "—" : `${rate.percent.toFixed(1)}%`;
}

const WEEKDAYS = ["", "一", "二", "三", "四", "五", "六", "日"];
/** A station's reception days in words: 每周三、每月15日. */
export function receptionDays(days: Schemas["ReceptionDay"][]): string {
  return days.map((d) => (d.every === "week" ? `每周${WEEKDAYS[d.weekday] ?? ""}` : `每月${d.day}日`)).join("、");
}

// 票决制 year: rounds and proposals (点单), plan changes and money (领单), delivery and evaluation (验单).
export const ROUND_PHASE: Record<Schemas["RoundPhase"], string> = { scheduled: "未开始", open: "征集中", closed: "已截止" };
export const PROPOSAL_STATUS: Record<Schemas["ProposalStatus"], string> = {
  open: "待梳理",
  merged: "已合并",
  candidate: "已列为候选项目",
  not_taken: "未采纳",
};
export const CHANGE_KIND: Record<Schemas["ChangeKind"], string> = { postpone: "推迟", add: "增加节点", amend: "调整内容" };
export const CHANGE_DECISION: Record<Schemas["ChangeDecision"], string> = { approved: "已同意", refused: "未同意" };
export const SPENDING_KIND: Record<Schemas["SpendingKind"], string> = { allocated: "拨付", spent: "支出" };
export const PACE: Record<Schemas["Pace"], string> = { in_step: "支出与进度相符", ahead: "支出快于进度", behind: "支出明显慢于进度" };
export const DELIVERY: Record<Schemas["Delivery"], string> = {
  delivering: "实施中",
  completed: "已完工待验收",
  accepted: "已验收",
  rectifying: "整改中",
  satisfied: "测评满意",
};
export const MARK: Record<Schemas["Mark"], string> = { satisfied: "满意", basically: "基本满意", dissatisfied: "不满意" };
export const PROJECT_EVENT: Record<Schemas["EventKind"], string> = {
  elected: "票决当选",
  plan_change_asked: "申请调整计划",
  plan_change_approved: "计划调整获同意",
  plan_change_refused: "计划调整未获同意",
  money_recorded: "资金记录",
  placed: "标注位置",
  milestone_done: "完成节点",
  comment_turned_into_issue: "群众评论转为问题",
  completed: "申报完工",
  accepted: "验收通过",
  returned: "验收退回",
  evaluated: "满意度测评",
};

/** Yuan as 万元, the unit budgets are read in. */
export function wan(yuan: number): string {
  return `${(yuan / 10000).toLocaleString("zh-CN", { maximumFractionDigits: 1 })} 万元`;
}
