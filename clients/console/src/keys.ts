// Keyboard shortcuts: each screen names its own while it is shown; `?` opens the list of what works where (the help
// overlay in App.vue). Keys typed into a field, or with Ctrl, Alt or ⌘ held, are the field's and the browser's.
import { onBeforeUnmount, onMounted, ref, shallowRef } from "vue";

export interface Shortcut {
  /** The key as `KeyboardEvent.key` names it: "j", "Enter", "/". */
  key: string;
  /** What it does, for the help overlay. */
  label: string;
  run: () => void;
}

/** Shortcuts that work on every screen. */
export const GLOBAL: Omit<Shortcut, "run">[] = [
  { key: "?", label: "显示或关闭快捷键说明" },
  { key: "Esc", label: "关闭对话框或说明" },
];

/** The shown screen's shortcuts, for the help overlay. */
export const current = shallowRef<{ screen: string; keys: Shortcut[] } | null>(null);
/** Whether the help overlay is open. */
export const helpShown = ref(false);

function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  return t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName);
}

/** A dialog or drawer is open (not one fading out): its own keys (Esc, Enter) are the dialog's. */
function dialogOpen(): boolean {
  return [...document.querySelectorAll<HTMLElement>(".el-overlay")].some(
    (o) => o.style.display !== "none" && ![...o.classList].some((c) => c.endsWith("-leave-active")),
  );
}

/** Listens for a screen's shortcuts while it is shown. */
export function useShortcuts(screen: string, keys: () => Shortcut[]) {
  const handler = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e) || dialogOpen() || helpShown.value) return;
    const hit = keys().find((k) => k.key === e.key);
    if (hit) {
      e.preventDefault();
      hit.run();
    }
  };
  const shown = { screen, get keys() { return keys(); } };
  onMounted(() => {
    window.addEventListener("keydown", handler);
    current.value = shown;
  });
  onBeforeUnmount(() => {
    window.removeEventListener("keydown", handler);
    if (current.value === shown) current.value = null;
  });
}

/** Moves the focus to the next (`step` 1) or previous (-1) of the elements `selector` finds. */
export function moveFocus(selector: string, step: 1 | -1) {
  const all = [...document.querySelectorAll<HTMLElement>(selector)];
  if (all.length === 0) return;
  const at = all.indexOf(document.activeElement as HTMLElement);
  const next = at < 0 ? (step === 1 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, at + step));
  all[next]!.focus();
  all[next]!.scrollIntoView({ block: "nearest" });
}
