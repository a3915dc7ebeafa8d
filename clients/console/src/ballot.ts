// A deputy's secret vote, done in this browser (RFC 9474, RSABSSA-SHA384-PSS-Deterministic, as the ballot's key
// says): a random token is blinded with the ballot's public key and signed at check-in, which the service records
// against the deputy; the signature is unblinded here, and the paper — token, signature, choices — is cast without
// the deputy's token, so nothing links it to them. The service never sees the token before the paper arrives.
import { RSABSSA } from "@cloudflare/blindrsa-ts";
import { api, must, type Schemas } from "./api/client";

const suite = RSABSSA.SHA384.PSS.Deterministic();

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unbase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** A checked-in voter's token and its signature: the right to cast one paper. */
interface Credential {
  token: string;
  signature: string;
}

// Kept for this tab only, until the paper is cast: a paper lost to a dropped connection can be cast again with the
// same credential (the service accepts one paper per token); a closed tab forgets it.
const stored = (ballot: string) => `minsheng-ballot-${ballot}`;

export function pendingCredential(ballot: string): Credential | null {
  const raw = sessionStorage.getItem(stored(ballot));
  return raw ? (JSON.parse(raw) as Credential) : null;
}

/** The browser can do the blind signature's arithmetic: WebCrypto needs a secure context (HTTPS or this host). */
export function canVote(): boolean {
  return typeof crypto !== "undefined" && crypto.subtle !== undefined;
}

async function publicKey(pem: string): Promise<CryptoKey> {
  const der = unbase64(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""));
  return crypto.subtle.importKey("spki", der, { name: "RSA-PSS", hash: "SHA-384" }, true, ["verify"]);
}

/** Check in: the service signs the blinded token and records that this deputy has taken their paper. */
export async function checkIn(ballot: string, pem: string): Promise<Credential> {
  const key = await publicKey(pem);
  const token = crypto.getRandomValues(new Uint8Array(32));
  const prepared = suite.prepare(token);
  const { blindedMsg, inv } = await suite.blind(key, prepared);
  const answer = await must(
    api.POST("/api/v1/ballots/{id}/check-in", {
      params: { path: { id: ballot } },
      body: { blinded_token: base64(blindedMsg) },
    }),
  );
  const signature = await suite.finalize(key, prepared, unbase64(answer.blind_signature), inv);
  const credential = { token: base64(token), signature: base64(signature) };
  sessionStorage.setItem(stored(ballot), JSON.stringify(credential));
  return credential;
}

/** Casts the paper; answers its receipt. The request carries no Authorization (see api/client.ts). */
/** What a paper says: a ballot's chosen candidates, or an evaluation's rating of each project. */
export type Marks = Pick<Schemas["CastPaper"], "choices" | "marks">;

export async function cast(ballot: string, credential: Credential, paper: Marks): Promise<string> {
  const { receipt } = await must(
    api.POST("/api/v1/ballots/{id}/papers", {
      params: { path: { id: ballot } },
      body: { token: credential.token, signature: credential.signature, ...paper },
    }),
  );
  sessionStorage.removeItem(stored(ballot));
  return receipt;
}
