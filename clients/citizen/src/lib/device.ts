// What the phone gives: the privacy check WeChat asks for first, photos (compressed here before upload), the place.
import type { components, paths } from "../api/schema";
import type { PathsWithMethod } from "openapi-typescript-helpers";
import { origin, Offline } from "../api/client";
import { session } from "./session";

type Photo = components["schemas"]["Photo"];
type Datum = components["schemas"]["Datum"];

/** WeChat's privacy guide (`__usePrivacyCheck__`): the citizen agrees before location, photos or phone number. */
export function privacy(): Promise<void> {
  return new Promise((resolve, reject) => {
    // #ifdef MP-WEIXIN
    if (typeof wx !== "undefined" && wx.requirePrivacyAuthorize) {
      wx.requirePrivacyAuthorize({ success: () => resolve(), fail: () => reject(new Error("未同意隐私保护指引")) });
      return;
    }
    // #endif
    resolve();
  });
}

/**
 * Photos from the camera or the album, compressed on the phone: the longest side at most 1600 pixels, JPEG. Answers
 * what can be kept and uploaded later — a data URL on the web pages (it survives a reload), a file path in WeChat.
 */
export async function choosePhotos(count: number): Promise<string[]> {
  await privacy();
  const picked = await new Promise<string[]>((resolve, reject) =>
    uni.chooseImage({
      count,
      sizeType: ["compressed"],
      sourceType: ["camera", "album"],
      success: (r) => resolve(r.tempFilePaths as string[]),
      fail: (e) => reject(e),
    }),
  );
  return Promise.all(picked.map(compress));
}

function compress(path: string): Promise<string> {
  // #ifdef H5
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const scale = Math.min(1, 1600 / Math.max(img.naturalWidth, img.naturalHeight));
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(img.naturalWidth * scale);
      canvas.height = Math.round(img.naturalHeight * scale);
      const ctx = canvas.getContext("2d");
      if (!ctx) return reject(new Error("无法处理照片"));
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      resolve(canvas.toDataURL("image/jpeg", 0.8));
    };
    img.onerror = () => reject(new Error("无法读取照片"));
    img.src = path;
  });
  // #endif
  // #ifndef H5
  return new Promise((resolve) =>
    uni.compressImage({ src: path, quality: 70, success: (r) => resolve(r.tempFilePath), fail: () => resolve(path) }),
  );
  // #endif
}

const PHOTOS: PathsWithMethod<paths, "post"> = "/api/v1/photos";

/** Uploads one kept photo; the same bytes again answer the same photo, so a retried upload adds nothing. */
export async function upload(kept: string): Promise<Photo> {
  const token = await session.token();
  const header: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  let file: File | undefined;
  // #ifdef H5
  if (kept.startsWith("data:")) {
    const [head, b64] = kept.split(",");
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    file = new File([bytes], "photo.jpg", { type: head.slice(5).split(";")[0] || "image/jpeg" });
  }
  // #endif
  return new Promise((resolve, reject) =>
    uni.uploadFile({
      url: origin + PHOTOS,
      name: "file",
      // uni-h5 refuses a lone `file` without a `filePath`; a `files` list carries it.
      ...(file ? { files: [{ name: "file", file }] } : { filePath: kept }),
      header,
      success: (r) => {
        // uni-h5 hands the body over parsed when it is JSON, the mini-program as text.
        let body: { detail?: string } & Partial<Photo> = {};
        try {
          body = typeof r.data === "string" ? JSON.parse(r.data || "{}") : ((r.data ?? {}) as typeof body);
        } catch {
          body = { detail: "照片上传失败" };
        }
        if (r.statusCode === 201 || r.statusCode === 200) resolve(body as Photo);
        else reject(Object.assign(new Error(body.detail ?? "照片上传失败"), { problem: body }));
      },
      fail: () => reject(new Offline()),
    }),
  );
}

/** A photo that needs the citizen's token, as something an <image> shows. */
export async function photoSrc(path: string): Promise<string> {
  const token = await session.token();
  return new Promise((resolve) =>
    uni.downloadFile({
      url: origin + path,
      header: token ? { Authorization: `Bearer ${token}` } : {},
      success: (r) => resolve(r.statusCode === 200 ? r.tempFilePath : ""),
      fail: () => resolve(""),
    }),
  );
}

export type Place = { latitude: number; longitude: number; datum: Datum };

/**
 * The phone's place. In WeChat, GCJ-02 (what its maps use); in a phone browser, GPS's WGS-84 (GCJ-02 there needs a
 * map provider's key). The report says which, and the service converts.
 */
export async function locate(): Promise<Place> {
  await privacy();
  let datum: Datum = "gcj02";
  // #ifdef H5
  datum = "wgs84";
  // #endif
  return new Promise((resolve, reject) =>
    uni.getLocation({
      type: datum,
      success: (r) => resolve({ latitude: r.latitude, longitude: r.longitude, datum }),
      fail: () => reject(new Error("无法获取位置：请允许定位，或在地图上选择")),
    }),
  );
}
