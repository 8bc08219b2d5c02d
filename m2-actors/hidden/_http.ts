/**
 * A raw HTTP client on node:net, for sending a node what no HTTP library
 * would: garbage, missing headers, wrong methods, bodies over the limit. Each
 * exchange opens one connection, writes the bytes, reads one response (or
 * notes that none came), and closes the connection.
 */
import { createConnection } from "node:net";
import type { NodeAddress } from "../../autograder/kit/context.ts";

/** A response as read off the socket; the body decoded as UTF-8. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A request to write: headers as given (a Host and a Content-Length are added unless present). */
export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** The bytes of an HTTP/1.1 request; the connection closes after it. */
export function requestBytes({ method, path, headers = {}, body = "" }: RawRequest): Buffer {
  const bodyBytes = Buffer.from(body, "utf8");
  const all: Record<string, string> = { host: "127.0.0.1", connection: "close", "content-length": String(bodyBytes.length), ...headers };
  const head = `${method} ${path} HTTP/1.1\r\n${Object.entries(all).map(([name, value]) => `${name}: ${value}\r\n`).join("")}\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), bodyBytes]);
}

/** The headers a node requires, for a request from a made-up caller. */
export function callHeaders(id: string): Record<string, string> {
  return { "x-request-id": id, "x-from": "127.0.0.1:9", "content-type": "text/plain" };
}

/** Parses a complete response from `data`, or returns undefined if more is needed. */
function parse(data: Buffer, ended: boolean): RawResponse | undefined {
  const headEnd = data.indexOf("\r\n\r\n");
  if (headEnd < 0) return undefined;
  const [statusLine = "", ...lines] = data.subarray(0, headEnd).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = data.subarray(headEnd + 4);
  if (headers["content-length"] !== undefined) {
    const length = Number(headers["content-length"]);
    if (rest.length < length) return undefined;
    return { status, headers, body: rest.subarray(0, length).toString("utf8") };
  }
  if (/chunked/i.test(headers["transfer-encoding"] ?? "")) {
    const chunks: Buffer[] = [];
    for (let at = 0; ;) {
      const lineEnd = rest.indexOf("\r\n", at);
      if (lineEnd < 0) return undefined;
      const size = Number.parseInt(rest.subarray(at, lineEnd).toString("latin1"), 16);
      if (size === 0) return { status, headers, body: Buffer.concat(chunks).toString("utf8") };
      if (rest.length < lineEnd + 2 + size + 2) return undefined;
      chunks.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  return ended ? { status, headers, body: rest.toString("utf8") } : undefined;
}

/**
 * Writes `bytes` to `address` on a new connection and reads one response.
 * Resolves with it, or with undefined if the connection closed (or
 * `limitMs` passed) without a complete one. Never rejects.
 *
 * @param endAfterWrite also half-close the connection after writing
 */
export function exchange(address: NodeAddress, bytes: Buffer | string, limitMs = 3_000, endAfterWrite = false): Promise<RawResponse | undefined> {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    let done = false;
    const socket = createConnection({ host: address.ip, port: address.port });
    const finish = (response: RawResponse | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(response);
    };
    const timer = setTimeout(() => finish(parse(data, true)), limitMs);
    socket.on("connect", () => {
      socket.write(bytes);
      if (endAfterWrite) socket.end();
    });
    socket.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const response = parse(data, false);
      if (response !== undefined) finish(response);
    });
    socket.on("error", () => finish(parse(data, true)));
    socket.on("close", () => finish(parse(data, true)));
  });
}

/** Sends a request made of parts (see `requestBytes`). */
export function send(address: NodeAddress, request: RawRequest, limitMs?: number): Promise<RawResponse | undefined> {
  return exchange(address, requestBytes(request), limitMs);
}
