/**
 * The real transport: HTTP/1.1 on loopback (or any address), POST
 * /<group>/<service>/<method> with the serialized arguments as the body.
 * The client keeps connections alive, so consecutive calls skip TCP set-up.
 * The server answers anything malformed with a 4xx and a serialized error:
 * 405 for another method than POST, 400 for missing headers or bad framing,
 * 413 for a body over the limit. A request never crashes the node.
 */
import { Buffer } from "node:buffer";
import { Agent, createServer, type IncomingMessage, request as httpRequest, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { DistributionError, TimeoutError, UnreachableError } from "../../autograder/kit/errors.ts";
import type { Handler, Listener, NodeAddress, Transport, WireRequest, WireResponse } from "../api.ts";
import { errorResponse } from "./dispatcher.ts";
import { formatAddress } from "./node-id.ts";

export interface HttpTransportOptions {
  /** Largest request body accepted, bytes. */
  bodyLimitBytes?: number;
}

const contentType = "text/plain; charset=utf-8";

function send(res: ServerResponse, { status, body }: WireResponse, close = false): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body), ...(close ? { connection: "close" } : {}) });
  res.end(body);
}

function parseFrom(header: string | string[] | undefined): NodeAddress | undefined {
  const match = typeof header === "string" ? /^(.+):(\d{1,5})$/.exec(header) : null;
  return match ? { ip: match[1] as string, port: Number(match[2]) } : undefined;
}

/** Reads the body of a request, up to `limit` bytes; undefined if it is larger. */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        resolve(undefined);
      } else {
        chunks.push(chunk);
      }
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(undefined));
  });
}

function serve(handler: Handler, limit: number) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      if (req.method !== "POST") {
        res.setHeader("allow", "POST");
        return send(res, errorResponse(405, new DistributionError(`Cannot handle ${req.method} ${req.url}: only POST is accepted`)));
      }
      const id = req.headers["x-request-id"];
      const from = parseFrom(req.headers["x-from"]);
      if (typeof id !== "string" || id === "" || from === undefined) {
        return send(res, errorResponse(400, new DistributionError("Cannot handle the request: x-request-id and x-from headers are required")));
      }
      if (Number(req.headers["content-length"] ?? 0) > limit) {
        return send(res, errorResponse(413, new DistributionError(`Cannot handle the request: its body is over ${limit} bytes`)), true);
      }
      const body = await readBody(req, limit);
      if (body === undefined) {
        return send(res, errorResponse(413, new DistributionError(`Cannot handle the request: its body is over ${limit} bytes`)), true);
      }
      const request: WireRequest = { id, from, path: req.url ?? "/", body };
      send(res, await handler(request));
    } catch (error) {
      send(res, errorResponse(500, error));
    }
  };
}

export class HttpTransport implements Transport {
  #agent = new Agent({ keepAlive: true });
  #bodyLimit: number;

  constructor(options: HttpTransportOptions = {}) {
    this.#bodyLimit = options.bodyLimitBytes ?? 16 * 1024 * 1024;
  }

  async listen(address: NodeAddress, handler: Handler): Promise<Listener> {
    const server: Server = createServer({ keepAliveTimeout: 60_000 }, serve(handler, this.#bodyLimit));
    const sockets = new Set<Socket>();
    server.on("connection", (socket: Socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    server.on("clientError", (_error, socket: Socket) => {
      const body = errorResponse(400, new DistributionError("Cannot parse the request: it is not valid HTTP/1.1")).body;
      if (socket.writable) {
        socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: ${contentType}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      }
      socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(address.port, address.ip, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const bound = server.address() as AddressInfo;
    return {
      address: { ip: address.ip, port: bound.port },
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        }),
    };
  }

  request(to: NodeAddress, request: WireRequest, timeoutMs: number): Promise<WireResponse> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({
        agent: this.#agent,
        host: to.ip,
        port: to.port,
        method: "POST",
        path: request.path,
        headers: {
          "content-type": contentType,
          "content-length": Buffer.byteLength(request.body),
          "x-request-id": request.id,
          "x-from": formatAddress(request.from),
        },
      });
      const timer = setTimeout(() => {
        req.destroy();
        reject(new TimeoutError(`no answer from ${formatAddress(to)} within ${timeoutMs} ms`));
      }, timeoutMs);
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 500, body: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", (error) => {
          clearTimeout(timer);
          reject(new UnreachableError(`connection lost (${error.message})`, { cause: error }));
        });
      });
      req.on("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new UnreachableError(error.code === "ECONNREFUSED" ? "connection refused" : `connection failed (${error.code ?? error.message})`, { cause: error }));
      });
      req.end(request.body);
    });
  }

  async close(): Promise<void> {
    this.#agent.destroy();
  }
}
