/**
 * One GET over HTTP(S), without following redirects: the crawler decides
 * what a redirect leads to. Connections are kept alive between requests, and
 * a body is read up to a limit (a huge page is cut, not a crash).
 */
import { Buffer } from "node:buffer";
import { Agent as HttpAgent, get as httpGet, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, get as httpsGet } from "node:https";

export interface Fetched {
  status: number;
  /** The content type, lowercased, without parameters ("text/html"). */
  type: string;
  location: string | undefined;
  body: Buffer;
}

export interface Fetcher {
  get(url: URL): Promise<Fetched>;
  close(): void;
}

const maxBody = 16 * 1024 * 1024;
const timeoutMs = 30_000;

export function fetcher(): Fetcher {
  const agents = { "http:": new HttpAgent({ keepAlive: true }), "https:": new HttpsAgent({ keepAlive: true }) };
  return {
    get: (url) =>
      new Promise((resolve, reject) => {
        const secure = url.protocol === "https:";
        const request = (secure ? httpsGet : httpGet)(url, { agent: secure ? agents["https:"] : agents["http:"] }, (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            if (size < maxBody) chunks.push(chunk);
            size += chunk.length;
          });
          response.on("end", () =>
            resolve({
              status: response.statusCode ?? 0,
              type: String(response.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "",
              location: response.headers.location,
              body: Buffer.concat(chunks).subarray(0, maxBody),
            })
          );
          response.on("error", reject);
        });
        request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        request.on("error", reject);
      }),
    close: () => {
      agents["http:"].destroy();
      agents["https:"].destroy();
    },
  };
}
