// The phone pages for screen readers and keyboards. uni-h5 draws <button>, <switch>, <radio>, <input> and
// <textarea> as its own elements (uni-button …) that carry no role, take no focus and keep their label off the real
// field. This gives each what a native control has — its role, focus, Enter/Space, its checked state, the label on
// the field itself — in one place, for every page, as the elements appear. (WeChat's own controls have all this.)
const ROLES: Record<string, string> = { "UNI-BUTTON": "button", "UNI-SWITCH": "switch", "UNI-RADIO": "radio" };
const CHECKED: Record<string, string> = { "UNI-SWITCH": ".uni-switch-input-checked", "UNI-RADIO": ".uni-radio-input-checked" };

function upgrade(el: Element) {
  const role = ROLES[el.tagName];
  if (role && !el.getAttribute("role")) el.setAttribute("role", role);
  const r = el.getAttribute("role");
  if ((role || r === "button" || r === "link" || r === "radio") && !el.hasAttribute("tabindex")) {
    el.setAttribute("tabindex", "0");
  }
  if (el.tagName === "UNI-BUTTON") {
    const off = el.hasAttribute("disabled") && el.getAttribute("disabled") !== "false";
    el.setAttribute("aria-disabled", String(off));
  }
  const checked = CHECKED[el.tagName];
  if (checked) el.setAttribute("aria-checked", String(!!el.querySelector(checked)));
  if (el.tagName === "UNI-IMAGE") {
    // The picture's words are on the wrapper; the <img> inside, drawn for dragging, says nothing (alt="").
    const label = el.getAttribute("aria-label");
    if (label) el.setAttribute("role", "img");
    el.querySelectorAll("img").forEach((img) => img.setAttribute("alt", ""));
  }
  if (el.tagName === "UNI-INPUT" || el.tagName === "UNI-TEXTAREA") {
    const field = el.querySelector("input, textarea");
    for (const name of ["aria-label", "aria-labelledby"]) {
      const label = el.getAttribute(name);
      if (field && label) {
        field.setAttribute(name, label);
        el.removeAttribute(name);
      }
    }
  }
}

function sweep(root: ParentNode) {
  root.querySelectorAll("uni-button, uni-switch, uni-radio, uni-input, uni-textarea, uni-image, [role]").forEach(upgrade);
}

export function installA11y() {
  sweep(document);
  new MutationObserver((changes) => {
    for (const c of changes) {
      const t = c.target as Element;
      const owner = t.closest?.("uni-switch, uni-radio, uni-button, uni-input, uni-textarea, uni-image");
      if (owner) upgrade(owner);
      c.addedNodes.forEach((n) => {
        if (n instanceof Element) {
          upgrade(n);
          sweep(n);
        }
      });
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["class", "disabled", "aria-label", "aria-labelledby"] });
  document.addEventListener("keydown", (e) => {
    const el = e.target as HTMLElement;
    if ((e.key === "Enter" || e.key === " ") && el.getAttribute?.("tabindex") === "0" && !/INPUT|TEXTAREA/.test(el.tagName)) {
      e.preventDefault();
      el.click();
    }
  });
}
