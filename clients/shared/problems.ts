// What a person reads when the service refuses, in both web apps (the console and the citizens' app): the problem
// document's stable `code` in Chinese. The service's own `detail` stays English for integrators; no screen shows it,
// so every message a person reads is Chinese. One list for both apps: a code is named once.

/** What of a problem document (RFC 9457) the words are chosen by. */
export interface Refusal {
  code: string;
  status?: number | null;
}

const MESSAGES: Record<string, string> = {
  invalid_json: "提交的内容无法识别",
  invalid_body: "提交的内容格式不对",
  invalid_query: "查询条件格式不对",
  invalid_path: "地址格式不对",
  invalid_header: "请求头格式不对",
  idempotency_key_reused: "这次提交与之前的重复，请刷新后再试",
  request_in_progress: "上一次提交还在处理中，请稍候",
  validation_failed: "填写的内容不符合要求",
  unauthenticated: "请先登录",
  invalid_token: "登录已失效，请重新登录",
  invalid_credentials: "手机号或密码错误",
  account_disabled: "账号已停用，请联系管理员",
  invalid_refresh_token: "登录已过期，请重新登录",
  refresh_token_reused: "登录凭据已在别处使用，为安全起见已退出，请重新登录",
  forbidden: "您没有权限进行此操作",
  not_found: "找不到要查看的内容，可能已删除或不在您的管辖范围内",
  method_not_allowed: "不支持此操作",
  already_exists: "已存在同样的记录",
  conflict: "与现有记录冲突",
  payload_too_large: "提交的内容太大",
  unsupported_media_type: "不支持的文件类型",
  rate_limited: "操作太频繁，请稍后再试",
  service_unavailable: "服务暂时不可用，请稍后再试",
  wrong_state: "问题当前的状态不能进行此操作，页面已刷新，请按最新状态处理",
  content_risky: "内容未通过安全检查，请修改后再提交",
  daily_limit_reached: "今天的提交次数已达上限",
  internal_error: "服务出错了，请稍后再试",
  wechat_user_risky: "微信判定该账号存在风险，暂不能登录",
  sms_not_configured: "本平台未开通短信验证码登录",
  // Field rules.
  required: "必填",
  too_long: "内容太长",
  too_short: "内容太短",
  too_many: "数量超出上限",
  too_weak: "密码太简单：至少 10 位，并包含字母和数字",
  out_of_range: "数值超出允许范围",
  control_characters: "含有不允许的字符",
  invisible_characters: "含有看不见的字符或改变文字方向的字符，请删除后重新输入",
  in_future: "日期不能晚于今天",
  too_early: "计划日期不能早于投票截止的那一天",
  invalid_phone: "手机号格式不对",
  invalid_phone_code: "手机号授权已失效，请重新授权",
  not_mainland: "仅支持中国大陆手机号",
  invalid_date: "日期格式不对",
  invalid_url: "网址格式不对",
  invalid_code: "编码格式不对",
  invalid_region_code: "行政区划代码应为 2 至 12 位数字（GB/T 2260）",
  invalid_category_code: "分类编码格式不对",
  invalid_prefix: "编号前缀格式不对",
  invalid_scene: "二维码场景值不对",
  unknown_scene: "二维码已失效",
  unknown_agency: "没有这个承办单位",
  unknown_category: "没有这个分类",
  agency_out_of_reach: "该承办单位不在您的管辖范围内",
  outside_region: "不在该区域范围内",
  outside_china: "位置不在中国境内，请检查定位",
  not_your_station: "不是您所在的联络站",
  not_a_deputy: "对方不是人大代表",
  address_refused: "该地址不允许接收推送（内网或保留地址）",
  level_not_below_parent: "层级必须低于上级区域",
  too_deep: "分类最多两级：上级必须是顶级分类",
  has_children: "该分类下有子分类，只能是顶级分类",
  period_reversed: "开始日期晚于结束日期",
  not_a_weekend: "该日不是周末",
  wrong_year: "年份不对",
  not_one_hundred: "各项权重之和须为 100",
  photo_unavailable: "照片不存在或不属于您",
  unreadable_picture: "无法识别这张图片",
  too_many_pixels: "图片尺寸太大",
  not_allowed: "不允许此操作",
  not_serving: "该代表当前不在任",
  not_elected: "未当选",
  not_a_candidate: "不是候选人",
  not_blinded: "盲签数据不对",
  out_of_order: "顺序不对",
  daily_limit: "今天的次数已达上限",
  unknown_placeholder: "模板里有不认识的占位符，可用：{编号} {标题} {地点} {分类} {反映日期} {今天} {主办单位} {办理时限}",
  unclosed_placeholder: "占位符缺少右括号 }",
  unknown_parameter: "该列表不支持这个筛选条件",
  count: "请选择 1 至 50 件问题",
  merge_into_itself: "不能把问题合并到它自己",
  unknown_issue: "找不到要并入的问题，或它不在您的管辖范围内",
  merge_into_closed: "要并入的问题本身已合并或不予受理，请并入它最终所在的问题",
  category_not_offered: "该分类在这个区域未启用，请选择其他分类",
  repeated: "同一件问题选了两次",
};

/** The Chinese message for a problem: by its code, else by its status. */
export function problemMessage(p: Refusal): string {
  const known = MESSAGES[p.code];
  if (known) return known;
  if (p.status === 401) return "请先登录";
  if (p.status === 403) return "您没有权限进行此操作";
  if (p.status === 404) return "找不到要查看的内容";
  if (p.status === 409) return "与当前状态冲突，请刷新后再试";
  if (p.status === 422) return "填写的内容不符合要求";
  if (p.status === 429) return "操作太频繁，请稍后再试";
  if (p.status && p.status >= 500) return "服务出错了，请稍后再试";
  return "操作未成功";
}
