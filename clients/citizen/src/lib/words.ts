import type { components } from "../api/schema";
type S = components["schemas"];

export const statusWords: Record<S["Status"], string> = {
  submitted: "已提交，待受理",
  accepted: "已受理",
  declined: "不予受理",
  merged: "已并入同类问题",
  routed: "已转交承办单位",
  signed: "承办单位已签收",
  in_progress: "办理中",
  replied: "已答复，待评价",
  reopened: "重新办理",
  closed: "已办结",
};

export const ratingWords: Record<S["Rating"], string> = {
  satisfied: "满意",
  basically_satisfied: "基本满意",
  dissatisfied: "不满意",
};

export const replyWords: Record<S["ReplyCategory"], string> = {
  A: "已解决",
  B: "正在解决",
  C: "暂不能解决",
};

export const warningWords: Record<S["Warning"], string> = { green: "正常", yellow: "临近期限", red: "已超期" };

export const eventWords: Record<string, string> = {
  report: "提交反映",
  accept: "受理",
  decline: "不予受理",
  merge: "合并",
  cosign: "代表附议",
  join: "我也遇到",
  route: "转交承办单位",
  sign: "签收",
  "send-back": "退回重新分办",
  progress: "办理进展",
  reply: "答复",
  rate: "评价",
  reopen: "重新办理",
  comment: "留言",
  urge: "催办",
  "key-supervision": "挂牌督办",
  "site-visit": "现场督办",
  "follow-up": "回头看",
  "close-unrated": "逾期未评价，自动办结",
};

export function when(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

const weekdays = ["", "一", "二", "三", "四", "五", "六", "日"];
export function receptionDay(d: S["ReceptionDay"]): string {
  return d.every === "week" ? `每周${weekdays[d.weekday] ?? ""}` : `每月${d.day}日`;
}

export const proposalWords: Record<S["ProposalStatus"], string> = {
  open: "征集中",
  merged: "已与相同建议合并",
  candidate: "已列为候选项目",
  not_taken: "未采纳",
};

export const deliveryWords: Record<S["Delivery"], string> = {
  delivering: "实施中",
  completed: "已完工，待验收",
  accepted: "已验收",
  rectifying: "整改中",
  satisfied: "代表测评满意",
};

export const projectEventWords: Record<S["EventKind"], string> = {
  elected: "代表票决当选",
  plan_change_asked: "申请调整计划",
  plan_change_approved: "计划调整获同意",
  plan_change_refused: "计划调整未获同意",
  money_recorded: "资金",
  placed: "标注位置",
  milestone_done: "完成节点",
  comment_turned_into_issue: "群众意见转为问题办理",
  completed: "申报完工",
  accepted: "验收通过",
  returned: "验收退回整改",
  evaluated: "代表满意度测评",
};

/** Who proposed, as a kind of person (a proposal never names its proposer). */
export const proposerWords: Record<string, string> = { citizen: "群众", deputy: "人大代表", staff: "联络站", admin: "联络站" };
