/**
 * The local web's HTTP server: a generated web or a folder of pages on
 * 127.0.0.1, a free port by default. It answers GET and HEAD, keeps
 * connections alive, counts the requests for each path + query (so a test
 * can check that a crawler fetched each URL once), and never dies from what
 * a client sends: a malformed request gets 400 and its connection closed, a
 * failure inside gets 500.
 *
 * @example
 * const server = await startWeb({ pages: 300, seed: 7 });
 * const response = await fetch(`${server.url}/robots.txt`);
 * server.hits().get("/robots.txt"); // 1
 * await server.close();
 */
import { Buffer } from "node:buffer";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { folderResponder } from "./folder.ts";
import { createWeb, type Web, type WebOptions } from "./generated-web.ts";
import { refusal, type Reply, type Responder } from "./reply.ts";
import { respond } from "./respond.ts";

/** What to serve, and where. */
export interface StartWebOptions extends WebOptions {
  /** Serve the pages in this folder instead of a generated web (then `pages`, `seed` and `slowMs` do not apply). */
  folder?: string;
  /** The port (default 0: a free one). */
  port?: number;
  /** The address to listen on (default 127.0.0.1). */
  host?: string;
  /** Count hits per URL (default true; a crawl of a million pages may prefer not to). */
  countHits?: boolean;
}

/** A running local web. */
export interface WebServer {
  /** The origin, e.g. "http://127.0.0.1:41234"; the root page is `${url}/`. */
  url: string;
  /** One line that says what is served. */
  description: string;
  /** The generated web served, for its ground truth; undefined for a folder. */
  web: Web | undefined;
  /** How many requests each path + query got (as the server read them: dot segments resolved). */
  hits(): Map<string, number>;
  /** Forgets the hits counted so far. */
  resetHits(): void;
  /** Stops listening, closes every connection (slow pages still waiting included), and resolves when done. */
  close(): Promise<void>;
}

/**
 * Starts a local web.
 *
 * @throws RangeError on a bad size, seed or delay; TypeError when `folder`
 *   is not a folder; the listen error when the port is taken.
 */
export async function startWeb(options: StartWebOptions = {}): Promise<WebServer> {
  const { folder, port = 0, host = "127.0.0.1", countHits = true } = options;
  const web = folder === undefined ? createWeb(options) : undefined;
  const responder: Responder = web ? (path, asked) => respond(web, path, asked) : await folderResponder(folder as string);
  const hits = new Map<string, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  let authority = "";

  const answer = async (request: IncomingMessage): Promise<Reply> => {
    if (request.method !== "GET" && request.method !== "HEAD") return refusal(405, "Only GET and HEAD are served");
    const path = pathOf(request.url ?? "");
    if (path === undefined) return refusal(400, "Cannot read the request target");
    if (countHits) hits.set(path, (hits.get(path) ?? 0) + 1);
    const reply = await responder(path, hostOf(request) ?? authority);
    if (reply.delayMs) await wait(reply.delayMs);
    return reply;
  };

  const server = createServer((request, response) => {
    response.sendDate = false;
    answer(request)
      .catch(() => refusal(500, "Cannot answer: the web failed"))
      .then((reply) => send(request, response, reply))
      .catch(() => response.destroy());
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    const status = error.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
    if (socket.writable && error.code !== "ECONNRESET") socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  authority = `${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;

  return {
    url: `http://${authority}`,
    description: web
      ? `a generated web of ${web.pages} pages on ${web.topics.length} topics (seed ${web.seed}; slow pages wait ${web.slowMs} ms)`
      : `the pages in ${folder}`,
    web,
    hits: () => new Map(hits),
    resetHits: () => hits.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** The path and query of a request target (origin or absolute form), or undefined when it is not one. */
function pathOf(target: string): string | undefined {
  if (!target.startsWith("/") && !/^https?:\/\//i.test(target)) return undefined;
  try {
    const url = new URL(target, "http://target.invalid");
    return url.pathname + url.search;
  } catch {
    return undefined;
  }
}

/** The Host header, when it is a plain host name or address with an optional port. */
function hostOf(request: IncomingMessage): string | undefined {
  const host = request.headers.host ?? "";
  return /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/i.test(host) ? host : undefined;
}

/** Writes a reply, unless the connection is gone (closed by the client, or by close()). */
function send(request: IncomingMessage, response: ServerResponse, reply: Reply): void {
  if (response.headersSent || response.destroyed) return;
  const length = typeof reply.body === "string" ? Buffer.byteLength(reply.body) : reply.body.byteLength;
  response.writeHead(reply.status, { ...reply.headers, "content-length": String(length) });
  response.end(request.method === "HEAD" ? undefined : reply.body);
}
