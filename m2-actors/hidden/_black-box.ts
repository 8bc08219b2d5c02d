/**
 * What the black-box tests of milestone 2 share: a client node (the
 * reference, in this process) that reaches the nodes under test, a view of a
 * node under test (its api through its `harness` service, its services
 * through comm), raw HTTP to it, and a stand-in server that the node under
 * test calls, to see its requests on the wire and answer them as a test
 * likes. Nothing here loads code under test, and no function that a node
 * under test made ever runs here: the tests send their own services there
 * and read back data only.
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer as createTcpServer } from "node:net";
import type { TestContext } from "node:test";
import { fileScope, referenceClient, type Step } from "../../autograder/harness/black-box.ts";
import { harnessOf, startStudentNode, type StudentNode } from "../../autograder/harness/student-node.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as M1 from "../../m1-serialization/api.ts";
import type * as Api from "../api.ts";

export const m1 = await load<typeof M1>("m1", "reference");

/** Time limit of one call from the test: it only bounds a failure (half a CPU, a node under test busy). */
export const callLimitMs = 30_000;

export { fileScope, type Step };

const reference = referenceClient(callLimitMs);
/** The test's own node (milestone 2's reference): every call to a node under test goes from it. */
export const client = reference.get;
export const stopClient = reference.stop;

/** The SHA-256 of "ip:port", in hex, computed here (handouts/m2.md#startnode). */
export function nidOf(address: Api.NodeAddress): string {
  return createHash("sha256").update(`${address.ip}:${address.port}`).digest("hex");
}

/** A node under test, seen from here. */
export class Remote {
  readonly process: StudentNode;

  constructor(process: StudentNode) {
    this.process = process;
  }

  get address(): Api.NodeAddress {
    return this.process.address;
  }

  /** Where a method of one of its services is. */
  at(service: string, method: string, gid?: string): Api.Remote {
    return gid === undefined ? { node: this.address, service, method } : { node: this.address, service, method, gid };
  }

  /** Calls a method of one of its services through comm, from the client. */
  async send(args: unknown[], service: string, method: string, options: { gid?: string; timeoutMs?: number } = {}): Promise<any> {
    return (await client()).comm.send(args, this.at(service, method, options.gid), { timeoutMs: options.timeoutMs ?? callLimitMs });
  }

  /** Walks the node's api through its harness service (autograder/harness/node-host.ts). */
  async call(steps: Step[], timeoutMs = callLimitMs): Promise<any> {
    return (await client()).comm.send([steps], harnessOf(this.process, "call"), { timeoutMs });
  }

  /** Registers a service there through comm (its `routes.put`), as another node would. */
  async put<S extends object>(service: S & ThisType<S>, name: string, options?: Api.ServiceOptions): Promise<void> {
    await this.send(options === undefined ? [service, name] : [service, name, options], "routes", "put");
  }

  /** Makes the node call `remote` with its own comm (through the harness); what its `comm.send` returned. */
  async sendFrom(args: unknown[], remote: Api.Remote, options?: { timeoutMs?: number }, limitMs = callLimitMs): Promise<unknown> {
    return this.call([["comm"], ["send", options === undefined ? [args, remote] : [args, remote, options]]], limitMs);
  }
}

/** Starts a node under test (a child process that dies with `t`). */
export async function startRemote(t: TestContext, config: Record<string, unknown> = {}): Promise<Remote> {
  return new Remote(await startStudentNode(t, "m2", config));
}

/** A port nothing listens on (just freed). */
export async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether this process can listen on `port` (the port is free). */
export async function canListen(port: number): Promise<boolean> {
  const server = createTcpServer();
  const listening = await new Promise<boolean>((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => resolve(true));
  });
  if (listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  return listening;
}

/** A raw HTTP exchange. */
export interface RawResponse {
  status: number;
  body: string;
}

/** What a raw request carries; the headers default to a fresh x-request-id and an x-from. */
export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string | undefined>;
  body?: string | Buffer;
}

let rawCounter = 0;

/** A fresh request id, unlike any a node makes. */
export function freshId(): string {
  return `black-box-${process.pid}-${++rawCounter}`;
}

/** Sends one raw HTTP request to a node (a connection of its own, the body framed by content-length) and reads the whole response. */
export function raw(address: Api.NodeAddress, { method = "POST", path, headers = {}, body }: RawRequest): Promise<RawResponse> {
  const all: Record<string, string> = {};
  const length = body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) };
  for (const [name, value] of Object.entries({ "x-request-id": freshId(), "x-from": "127.0.0.1:1", ...length, ...headers })) {
    if (value !== undefined) all[name] = value;
  }
  return new Promise((resolve, reject) => {
    const req = request({ host: address.ip, port: address.port, method, path, headers: all, agent: false, timeout: callLimitMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`Cannot ${method} ${path}: no response within ${callLimitMs / 1000} s`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** Sends a raw POST of serialized `args` to `/<gid>/<service>/<method>`. */
export function rawCall(address: Api.NodeAddress, path: string, args: unknown[], headers: Record<string, string> = {}): Promise<RawResponse> {
  return raw(address, { path, headers, body: m1.serialize(args) });
}

/** What a raw response's body deserializes to, or a description of why it does not. */
export function decoded(response: RawResponse): unknown {
  try {
    return m1.deserialize(response.body);
  } catch (error) {
    return `undecodable body ${JSON.stringify(response.body.slice(0, 80))}: ${String(error)}`;
  }
}

/** A request a stand-in server received. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** An HTTP server in this process that nodes under test call. */
export interface StandIn {
  address: Api.NodeAddress;
  seen: Seen[];
  /** How it answers each request (default: 200 with a serialized "ok"); undefined leaves it unanswered. */
  answer: (seen: Seen, res: ServerResponse) => void;
  /** How many of the connections to it have closed. */
  closed: () => number;
}

/** Starts a stand-in server on loopback, closed (with its connections) when `t` ends. */
export async function startStandIn(t: TestContext): Promise<StandIn> {
  let closedCount = 0;
  const standIn: StandIn = {
    address: { ip: "127.0.0.1", port: 0 },
    seen: [],
    answer: (_, res) => res.writeHead(200).end(m1.serialize("ok")),
    closed: () => closedCount,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      standIn.seen.push(seen);
      standIn.answer(seen, res);
    });
  });
  server.on("connection", (socket) => socket.on("close", () => closedCount++));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  standIn.address.port = (server.address() as AddressInfo).port;
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return standIn;
}

/** Resolves with how a promise ended, never rejects. */
export function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** The names of an error and of its causes (errors crossing the network keep their names). */
export function names(error: unknown): string[] {
  const found: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 10; depth++) {
    found.push(current.name);
    current = current.cause;
  }
  return found;
}

/** The messages of an error and of its causes, one after the other. */
export function messages(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    parts.push(current instanceof Error ? `${current.name}: ${current.message}` : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(" <- ");
}

/** The names of the errors a promise rejects with, or ["resolved"] if it does not. */
export async function failure(promise: Promise<unknown>): Promise<string[]> {
  const outcome = await settle(promise);
  return outcome.ok ? ["resolved"] : names(outcome.error);
}
