// Where a scan's scene arrives: `scene` from a mini-program code (getwxacodeunlimit) or a URL Link, URL-encoded by
// WeChat; `q` — the whole scanned address, encoded — when WeChat opens the mini-program for a plain QR code of
// `{MINSHENG_PUBLIC_URL}/s/{scene}` (the "scan ordinary QR code" rule); a plain `scene` on the phone pages.
export function sceneOf(query: Record<string, string | undefined> | undefined): string {
  const raw = query?.scene ? decodeURIComponent(query.scene) : "";
  if (raw) return raw;
  const scanned = query?.q ? decodeURIComponent(query.q) : "";
  const m = /\/s\/([a-z0-9]{1,32})(?:[/?#]|$)/.exec(scanned);
  return m ? m[1] : "";
}
