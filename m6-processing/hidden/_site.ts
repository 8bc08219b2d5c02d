/**
 * Small web sites of a test's own, on 127.0.0.1 (a free port), for what a
 * generated web does not hold: robots.txt rules, every redirect status, a
 * redirect loop or one without Location, any status and content type, a
 * page that never answers or never ends, a page larger than maxBytes, a
 * connection reset. The server counts the requests for each path + query,
 * keeps the order they arrived in, and how many were in flight at most.
 * Nothing here loads code under test.
 *
 * @example
 * const site = await startSite(t, { "/": { body: html("Home", '<a href="/a">A</a>') }, "/a": "hang" });
 * site.hits().get("/a"); // 1 once a crawler asked for it
 */
import { Buffer } from "node:buffer";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { TestContext } from "node:test";

/**
 * What a path answers: a reply (status 200 and text/html unless told; `type:
 * null` sends no content type), or "hang" (never answers), "trickle" (sends
 * its headers and then a byte every 100 ms, forever), "endless" (a 200
 * text/html body that never ends, as fast as the client reads), "reset" (the
 * connection is destroyed).
 */
export type Route =
  | { status?: number; type?: string | null; body?: string | Uint8Array; headers?: Record<string, string>; delayMs?: number }
  | "hang"
  | "trickle"
  | "endless"
  | "reset";

/** A running site. */
export interface Site {
  /** "http://127.0.0.1:port". */
  origin: string;
  /** The absolute URL of a path. */
  url(path: string): string;
  /** How many requests each path + query got. */
  hits(): Map<string, number>;
  /** The paths requested, in the order they arrived, with when (by the site's `now`). */
  arrivals(): Array<{ path: string; at: number }>;
  /** The most requests in flight at once (from arrival to the end of the answer, or of the connection). */
  maxInFlight(): number;
  /** Forgets the hits, the arrivals and the most in flight. */
  reset(): void;
}

/** A small HTML page. */
export function html(title: string | undefined, body: string): string {
  const head = title === undefined ? "" : `<title>${title}</title>`;
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8">${head}</head>\n<body>${body}</body></html>\n`;
}

/** Links to `hrefs`, as anchors with their href as text. */
export const links = (...hrefs: string[]): string => hrefs.map((href) => `<a href="${href}">${href.replace(/[^a-z0-9]+/gi, " ")}</a>`).join("\n");

/**
 * Starts a site serving `routes` (404 for any other path), closed when `t`
 * ends. `now` times the arrivals (default: their number, order without a
 * clock), so that only a test that needs times reads a clock (verify marks
 * such tests as timing-sensitive).
 */
export async function startSite(
  t: Pick<TestContext, "after">,
  routes: Record<string, Route> | ((path: string) => Route | undefined),
  now?: () => number,
): Promise<Site> {
  const find = typeof routes === "function" ? routes : (path: string) => routes[path];
  const hits = new Map<string, number>();
  let arrivals: Array<{ path: string; at: number }> = [];
  let inFlight = 0;
  let most = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setInterval>>();

  const server = createServer((request, response) => {
    const target = new URL(request.url ?? "/", "http://site.invalid");
    const path = target.pathname + target.search;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    arrivals.push({ path, at: now?.() ?? arrivals.length });
    most = Math.max(most, ++inFlight);
    let done = false;
    const finish = () => {
      if (!done) inFlight--;
      done = true;
    };
    response.on("close", finish);
    answer(find(path) ?? { status: 404, body: html("Not found", "No page here.") }, response, request.socket, timers);
  });
  server.keepAliveTimeout = 60_000;
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  t.after(
    () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  );
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path) => origin + path,
    hits: () => new Map(hits),
    arrivals: () => [...arrivals],
    maxInFlight: () => most,
    reset: () => {
      hits.clear();
      arrivals = [];
      most = inFlight;
    },
  };
}

function answer(route: Route, response: ServerResponse, socket: Socket, timers: Set<ReturnType<typeof setInterval>>): void {
  const every = (ms: number, fn: () => void) => {
    const timer = setInterval(fn, ms);
    timers.add(timer);
    response.on("close", () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  };
  if (route === "hang") return;
  if (route === "reset") {
    socket.destroy();
    return;
  }
  if (route === "trickle") {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.write("<!DOCTYPE html><html><body><p>");
    every(100, () => response.write("a"));
    return;
  }
  if (route === "endless") {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    const chunk = `<p>${"endless ".repeat(2000)}</p>\n`;
    every(5, () => {
      if (!response.writableNeedDrain) response.write(chunk);
    });
    return;
  }
  const { status = 200, type = "text/html; charset=utf-8", body = "", headers = {}, delayMs = 0 } = route;
  const send = () => {
    if (response.destroyed) return;
    const all: Record<string, string> = { ...headers, "content-length": String(typeof body === "string" ? Buffer.byteLength(body) : body.byteLength) };
    if (type !== null) all["content-type"] = type;
    response.writeHead(status, all);
    response.end(body);
  };
  if (delayMs > 0) {
    const timer = setTimeout(send, delayMs);
    response.on("close", () => clearTimeout(timer));
  } else send();
}
