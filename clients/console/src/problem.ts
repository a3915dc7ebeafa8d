import { reactive, ref } from "vue";
import { idempotencyKey, ProblemError } from "./api/client";

/**
 * A form's refusal: the message for each field it names (shown beside it) and one for the form; and the
 * Idempotency-Key of its command. The key stays while an attempt may have happened unseen (no answer, a 5xx), so a
 * retry does the command at most once; once the service has answered — done, or refused with a 4xx, which leaves
 * nothing written — the next attempt is a new command with a new key.
 */
export function useProblem() {
  let current = idempotencyKey();
  const key = () => current;
  const errors = reactive<Record<string, string>>({});
  const message = ref("");
  const busy = ref(false);
  /** The refusal's stable code (`wrong_state`, …), for screens that react to one. */
  const code = ref<string | undefined>();
  function clear() {
    for (const k of Object.keys(errors)) delete errors[k];
    message.value = "";
    code.value = undefined;
  }
  function show(e: unknown) {
    clear();
    if (e instanceof ProblemError) {
      Object.assign(errors, e.fieldErrors());
      message.value = e.message;
      code.value = e.code;
    } else {
      message.value = "无法连接服务，请检查网络后重试";
    }
  }
  /** Runs `work`, showing what refused it; answers whether it went through. */
  async function run(work: () => Promise<unknown>): Promise<boolean> {
    busy.value = true;
    clear();
    try {
      await work();
      current = idempotencyKey();
      return true;
    } catch (e) {
      show(e);
      if (e instanceof ProblemError && e.status >= 400 && e.status < 500) current = idempotencyKey();
      return false;
    } finally {
      busy.value = false;
    }
  }
  return { errors, message, busy, code, key, clear, show, run };
}
