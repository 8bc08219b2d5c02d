/**
 * comm: calls a method of a service on another node. The arguments travel
 * serialized in a request with a unique id; a 200 response carries the
 * result, anything else an error, which comes back as a RemoteError whose
 * cause is the remote error.
 */
import { type CallSite, RemoteError, type RemoteReason, TimeoutError, UnreachableError } from "../../autograder/kit/errors.ts";
import type { Comm, NodeAddress, NodeContext, Remote, WireRequest, WireResponse } from "../api.ts";
import { formatAddress } from "./node-id.ts";
import { m1 } from "../deps.ts";
import { currentCall } from "./current-call.ts";
import { defaultGroup } from "./service-table.ts";

export interface CommOptions {
  context: NodeContext;
  address: NodeAddress;
  id: string;
  callTimeoutMs: number;
}

/** What an error status says went wrong on the remote side. */
function remoteReason(status: number): RemoteReason {
  if (status >= 500) return "threw";
  return status === 404 ? "not-found" : "bad-request";
}

export class NodeComm implements Comm {
  #options: CommOptions;
  /**
   * Request ids are this prefix and a counter. Receivers answer a repeated id
   * from memory, so ids must not repeat across a node's lives either: a node
   * restarted at the same address has the same id, and may have the same
   * start time too (on a clock a test holds still), but not the same random
   * number.
   */
  #idPrefix: string;
  #counter = 0;
  /** How to fail each call in flight, for `stop`. */
  #inFlight = new Set<(error: Error) => void>();
  #stopped = false;
  /** Calls sent, for status. */
  sent = 0;

  constructor(options: CommOptions) {
    this.#options = options;
    this.#idPrefix = `${options.id}-${options.context.clock.now()}-${Math.floor(options.context.random() * 2 ** 32).toString(36)}`;
  }

  async send(args: unknown[], remote: Remote, options: { timeoutMs?: number } = {}): Promise<unknown> {
    if (!Array.isArray(args)) throw new TypeError("Cannot send: the arguments must be an array");
    const { node, service, method, gid = defaultGroup } = remote;
    const site: CallSite = { node, service, method };
    const where = `${service}.${method} on ${formatAddress(node)}`;
    const timeoutMs = options.timeoutMs ?? this.#options.callTimeoutMs;
    const request = {
      id: `${this.#idPrefix}-${++this.#counter}`,
      from: this.#options.address,
      path: `/${gid}/${service}/${method}`,
      body: m1.serialize(args),
    };
    this.sent++;
    let response;
    try {
      response = await this.#request(node, request, timeoutMs);
    } catch (error) {
      if (error instanceof TimeoutError) {
        throw new TimeoutError(`Cannot call ${where}: no answer within ${timeoutMs} ms`, { cause: error, site });
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new UnreachableError(`Cannot call ${where}: ${reason}`, { cause: error, site });
    }
    if (response.status === 200) return m1.deserialize(response.body);
    let cause: unknown;
    try {
      cause = m1.deserialize(response.body);
    } catch (error) {
      cause = error;
    }
    const reason = cause instanceof Error ? cause.message : `status ${response.status}`;
    throw new RemoteError(`Cannot call ${where}: ${reason}`, { cause, site, reason: remoteReason(response.status) });
  }

  caller(): NodeAddress | undefined {
    const call = currentCall.getStore();
    return call?.node.comm === this ? call.caller : undefined;
  }

  /** The transport's request, failed early if the node stops meanwhile. */
  #request(node: NodeAddress, request: WireRequest, timeoutMs: number): Promise<WireResponse> {
    if (this.#stopped) return Promise.reject(new UnreachableError("this node has stopped"));
    return new Promise((resolve, reject) => {
      this.#inFlight.add(reject);
      this.#options.context.transport.request(node, request, timeoutMs).then(resolve, reject)
        .finally(() => this.#inFlight.delete(reject));
    });
  }

  /** Fails every call in flight, and every later one: the node is stopping. */
  stop(): void {
    this.#stopped = true;
    for (const fail of this.#inFlight) fail(new UnreachableError("this node has stopped"));
    this.#inFlight.clear();
  }
}
