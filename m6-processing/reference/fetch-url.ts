/**
 * One GET of a crawl, as the crawl records it: a body of the type asked for
 * (text/html for a page, text/plain for robots.txt), a redirect (not
 * followed: the crawl meets its location like a link), or a reason to skip
 * the URL. Never rejects and never hangs: a fetch ends within `timeoutMs`,
 * and a body is read up to `maxBytes`.
 */
import { Buffer } from "node:buffer";
import { type Agent, get, type IncomingMessage } from "node:http";
import type { SkipReason } from "../api.ts";

/** What a fetch found. */
export type Fetched =
  | { kind: "body"; text: string }
  | { kind: "redirect"; status: number; location: string }
  | { kind: "skipped"; reason: SkipReason; status?: number };

/** The limits of one fetch. */
export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  /** The content type wanted, without parameters: another one is skipped as "not html". */
  type: string;
}

const redirects = new Set([301, 302, 303, 307, 308]);

/** The URL, absolute, without its fragment: how a crawl names it. */
export function crawlName(url: URL): string {
  const copy = new URL(url);
  copy.hash = "";
  return copy.href;
}

export function fetchURL(url: string, limits: FetchLimits, agent: Agent): Promise<Fetched> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (fetched: Fetched): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(fetched);
    };
    const timer = setTimeout(() => finish({ kind: "skipped", reason: "timeout" }), limits.timeoutMs);
    const request = get(url, { agent }, (response) => answered(url, response, limits, finish));
    request.on("error", () => finish({ kind: "skipped", reason: "unreachable" }));
  });
}

/** Reads a response as far as the crawl needs it. */
function answered(url: string, response: IncomingMessage, limits: FetchLimits, finish: (fetched: Fetched) => void): void {
  const status = response.statusCode ?? 0;
  const type = String(response.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (redirects.has(status)) {
    const location = response.headers.location;
    let target: string | undefined;
    try {
      target = location === undefined ? undefined : crawlName(new URL(location, url));
    } catch {
      target = undefined;
    }
    return finish(target === undefined ? { kind: "skipped", reason: "unreachable", status } : { kind: "redirect", status, location: target });
  }
  if (status !== 200) return finish({ kind: "skipped", reason: "status", status });
  if (type !== limits.type) return finish({ kind: "skipped", reason: "not html", status });
  if (Number(response.headers["content-length"] ?? 0) > limits.maxBytes) return finish({ kind: "skipped", reason: "too large", status });
  const chunks: Buffer[] = [];
  let size = 0;
  response.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > limits.maxBytes) finish({ kind: "skipped", reason: "too large", status });
    else chunks.push(chunk);
  });
  response.on("end", () => finish({ kind: "body", text: Buffer.concat(chunks).toString("utf8") }));
  response.on("error", () => finish({ kind: "skipped", reason: "unreachable", status }));
}
