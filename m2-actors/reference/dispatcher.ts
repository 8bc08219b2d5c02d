/**
 * The dispatcher: turns a request into a call of a service method and its
 * outcome into a response. 200 carries the serialized result; 400 a request
 * it cannot read, 404 a route that leads nowhere, 500 an error the method
 * threw, each with the serialized error. Nothing a request holds can make it
 * throw. Its own errors say only what went wrong; the caller's RemoteError
 * adds which call it was.
 */
import { DistributionError } from "../../autograder/kit/errors.ts";
import type { DistNode, WireRequest, WireResponse } from "../api.ts";
import { currentCall } from "./current-call.ts";
import { formatAddress } from "./node-id.ts";
import { RecentRequests } from "./recent-requests.ts";
import { m1 } from "../deps.ts";
import type { ServiceTable } from "./service-table.ts";

/** A response carrying an error. */
export function errorResponse(status: number, error: unknown): WireResponse {
  try {
    return { status, body: m1.serialize(error) };
  } catch {
    return { status, body: m1.serialize(new Error(error instanceof Error ? error.message : String(error))) };
  }
}

export class Dispatcher {
  #table: ServiceTable;
  #node: () => DistNode;
  #recent = new RecentRequests();
  /** Requests received, for status. */
  received = 0;

  constructor(table: ServiceTable, node: () => DistNode) {
    this.#table = table;
    this.#node = node;
  }

  /** Handles a request at most once: a duplicate gets the first one's response. */
  handle = (request: WireRequest): Promise<WireResponse> => this.#recent.once(request.id, () => this.#dispatch(request));

  async #dispatch(request: WireRequest): Promise<WireResponse> {
    this.received++;
    const node = this.#node();
    const [empty, gid, name, method, ...extra] = request.path.split("/");
    if (empty !== "" || !gid || !name || !method || extra.length > 0) {
      return errorResponse(404, new DistributionError(`the path ${request.path} is not /<group>/<service>/<method>`));
    }
    const entry = this.#table.get(name, gid);
    const fn: unknown = entry !== undefined && Object.hasOwn(entry.service, method) ? Reflect.get(entry.service, method) : undefined;
    if (entry === undefined || typeof fn !== "function") {
      const missing = entry === undefined ? `no service "${name}" in group "${gid}"` : `service "${name}" has no method "${method}"`;
      return errorResponse(404, new DistributionError(`${formatAddress(node.address)} has ${missing}`));
    }
    let args: unknown;
    try {
      args = m1.deserialize(request.body);
    } catch (error) {
      return errorResponse(400, error);
    }
    if (!Array.isArray(args)) {
      return errorResponse(400, new DistributionError("the arguments are not an array"));
    }
    const invoke = () => (fn as (...args: unknown[]) => unknown).apply(entry.service, args);
    const call = entry.inContext ? () => currentCall.run({ node, caller: request.from }, invoke) : invoke;
    try {
      const value = await (entry.mode === "actor" ? entry.mailbox.post(call) : call());
      return { status: 200, body: m1.serialize(value) };
    } catch (error) {
      return errorResponse(500, error);
    }
  }
}
