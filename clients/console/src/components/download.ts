import { blobOf } from "../api/client";

/** Hands a fetched file to the browser as a download. */
export function download(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Fetches a list as the service's Excel sheet (`format=xlsx`, asked with `parseAs: "blob"`) and downloads it. */
export async function downloadSheet(call: Promise<{ data?: unknown; error?: unknown; response: Response }>, name: string) {
  download(await blobOf(call), `${name}.xlsx`);
}
