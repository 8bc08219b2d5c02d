/**
 * Simulated milestone-4 nodes for the hidden tests of group stores and
 * moves: nodes on one simulated network (memory stores, no folder), the
 * store requests they send as the simulation's trace sees them, a way to
 * keep operations running through a reconfiguration and tell, from outside
 * the implementation, which of them really overlapped it, and a gate that
 * holds chosen requests back until the test lets them go.
 *
 * A move begins when its coordinator (the node whose `reconfigure` runs,
 * and which issues no operation of the test) sends its first request after
 * the call, and ends when `reconfigure` resolves. An operation overlapped
 * the move when it started no earlier than that first request and finished
 * before the move ended. Operations start once every member, old and new,
 * holds the new view (step 1 of handouts/m4.md#reconfiguration), or, for the
 * test of that step itself, as the move is called.
 */
import type { TestContext } from "node:test";
import type { NodeContext, WireRequest } from "../../autograder/kit/context.ts";
import type { Simulation } from "../../autograder/harness/sim/simulation.ts";
import type { TracedMessage } from "../../autograder/harness/sim/trace.ts";
import type * as Api from "../api.ts";
import { m4 } from "./_group.ts";

/** `ip:port`, the key of an address. */
export const at = (address: Api.NodeAddress): string => `${address.ip}:${address.port}`;

/** The service a request calls: its path is `/<gid>/<service>/<method>`. */
export const serviceOf = (path: string): string => path.split("/")[2] ?? "";

/**
 * Starts `count` simulated nodes (memory stores, calls that may wait 30 s);
 * they stop when the test ends. `adapt` may change a node's context before
 * it starts (wrap its transport, say).
 */
export async function simNodes(
  t: Pick<TestContext, "after">,
  sim: Simulation,
  count: number,
  adapt: (context: NodeContext) => NodeContext = (context) => context,
): Promise<Api.StoreNode[]> {
  const nodes: Api.StoreNode[] = [];
  t.after(() => Promise.all(nodes.map((node) => node.stop())));
  for (let i = 0; i < count; i++) nodes.push(await m4.startNode({ callTimeoutMs: 30_000, context: adapt(sim.context()) }));
  return nodes;
}

/** The requests of the `store` service sent from now on (each one a call), in the order they were sent. */
export function storeRequests(sim: Simulation): TracedMessage[] {
  const requests: TracedMessage[] = [];
  sim.trace.subscribe((message) => {
    if (message.kind === "request" && serviceOf(message.path) === "store") requests.push(message);
  });
  return requests;
}

/** One operation run through a move: its key, when it started and ended (virtual ms), and how it ended. */
export interface Timed {
  /** The key it was on. */
  key: string;
  start: number;
  end: number;
  outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
}

/** What `throughMove` saw: the move's outcome and window, and every operation it ran. */
export interface MoveRun {
  moved: Api.Moved;
  /** When the coordinator sent its first request of the move, virtual ms. */
  began: number;
  /** When the operations started: once every member, old and new, held the new view (or at the call), virtual ms. */
  viewed: number;
  /** When reconfigure resolved, virtual ms. */
  ended: number;
  operations: Timed[];
  /** The operations that started once the move had begun and finished before it ended. */
  overlapped: Timed[];
}

/**
 * Calls `coordinator.store(gid, placement).reconfigure(next)` and, once
 * every one of `members` (the members, old and new) holds the new view,
 * keeps `width` workers issuing operations until it resolves: worker w runs
 * `run(key)` for each key `key(w)` gives, one after the other, and stops
 * when the move has ended or `key` gives nothing more. The coordinator must
 * issue none of the operations (its first request after the call marks the
 * start of the move).
 *
 * @throws Error when the coordinator sends nothing, or reconfigure does not settle within the simulation's limit
 */
export async function throughMove(
  sim: Simulation,
  options: {
    coordinator: Api.StoreNode;
    members: readonly Api.StoreNode[];
    gid: string;
    next: readonly Api.NodeAddress[];
    placement?: Api.Placement;
    width: number;
    key: (worker: number) => string | undefined;
    run: (key: string) => Promise<unknown>;
    /** Start the operations as reconfigure is called, instead of once every member holds the new view. */
    atOnce?: boolean;
  },
): Promise<MoveRun> {
  const { coordinator, members, gid, next, placement, width, key, run, atOnce = false } = options;
  let began: number | undefined;
  const stop = sim.trace.subscribe((message) => {
    if (began === undefined && message.kind === "request" && message.from === at(coordinator.address)) began = message.at;
  });
  let ended: number | undefined;
  const move = coordinator.store(gid, placement).reconfigure([...next]).finally(() => (ended = sim.now()));
  move.catch(() => {}); // a failure is reported when the operations are done
  const wanted = JSON.stringify(next.map(at).sort());
  const viewsTaken = async () => (await Promise.all(members.map((node) => node.groups.get(gid)))).every((view) => JSON.stringify((view ?? []).map(at).sort()) === wanted);
  for (let i = 0; i < 60_000 && !atOnce && ended === undefined && !(await viewsTaken()); i++) await sim.run(1);
  const viewed = sim.now();
  const operations: Timed[] = [];
  const worker = async (w: number) => {
    for (let current = key(w); ended === undefined && current !== undefined; current = key(w)) {
      const start = sim.now();
      const outcome = await run(current).then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
      operations.push({ key: current, start, end: sim.now(), outcome });
    }
  };
  try {
    const [moved] = await sim.settle(Promise.all([move, ...Array.from({ length: width }, (_, w) => worker(w))]));
    if (began === undefined || ended === undefined) throw new Error("Cannot time the move: its coordinator sent no request");
    const [from, to] = [began, ended];
    return { moved, began, viewed, ended, operations, overlapped: operations.filter((op) => op.start >= from && op.end < to) };
  } finally {
    stop();
  }
}

/** A one-line account of a move's window and of how many operations overlapped it (and how many of those were on keys that move), for diagnostics and messages. */
export function overlapLine(run: MoveRun, what: string, moving: ReadonlySet<string>): string {
  const onMoving = run.overlapped.filter((op) => moving.has(op.key)).length;
  return `the move ran from ${run.began.toFixed(1)} to ${run.ended.toFixed(1)} ms, every member held the new view at ${run.viewed.toFixed(1)} ms; ${run.overlapped.length} of ${run.operations.length} ${what} (${onMoving} on keys that move) started after it began and finished before it ended`;
}

/**
 * Requests that a test holds back as they leave a node, under named rules:
 * the network carries a held request only once the test releases it (to
 * the node, the network was slow). Nodes started with `gate.adapt` as their
 * context's adapter send through the gate.
 *
 * @example
 * const gate = new Gate();
 * const nodes = await simNodes(t, sim, 4, gate.adapt);
 * gate.hold("hand-off", (from, to, request) => to === at(nodes[3].address) && request.body.includes("key 1"));
 * // … later
 * gate.stop("hand-off");
 * gate.release("hand-off");
 */
export class Gate {
  readonly #rules = new Map<string, (from: string, to: string, request: WireRequest) => boolean>();
  readonly #held: Array<{ rule: string; request: WireRequest; send: () => void }> = [];

  /** Makes a context's transport send through this gate. */
  readonly adapt = (context: NodeContext): NodeContext => {
    const request = context.transport.request.bind(context.transport);
    context.transport.request = (to, wire, timeoutMs) => {
      for (const [rule, matches] of this.#rules) {
        if (!matches(at(wire.from), at(to), wire)) continue;
        return new Promise((resolve, reject) => {
          this.#held.push({ rule, request: wire, send: () => void request(to, wire, timeoutMs).then(resolve, reject) });
        });
      }
      return request(to, wire, timeoutMs);
    };
    return context;
  };

  /** Holds, from now on, every request that `matches` (by sender and receiver, `ip:port`, and the request). */
  hold(rule: string, matches: (from: string, to: string, request: WireRequest) => boolean): void {
    this.#rules.set(rule, matches);
  }

  /** Lets the requests of `rule` sent from now on pass; those held stay held. */
  stop(rule: string): void {
    this.#rules.delete(rule);
  }

  /** The requests held under `rule`, in the order they were sent. */
  held(rule: string): WireRequest[] {
    return this.#held.filter((held) => held.rule === rule).map((held) => held.request);
  }

  /** Sends the requests held under `rule`, in order; returns them. */
  release(rule: string): WireRequest[] {
    const released = this.#held.filter((held) => held.rule === rule);
    for (const held of released) this.#held.splice(this.#held.indexOf(held), 1);
    for (const held of released) held.send();
    return released.map((held) => held.request);
  }
}
