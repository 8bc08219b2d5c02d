/**
 * The contract of a local store, key by key, for the tests that race or
 * crash operations (./local-store.test.ts, ./crash-sim.test.ts): what each
 * operation leaves in its key and returns (`apply`), and a record of the
 * operations called on each key since the last check (`Histories`). Since
 * operations on one key happen one at a time, in the order they were called,
 * a key holds the state after a prefix of its calls: every call that ended,
 * and perhaps some of those still running (a crash may have cut them off
 * before or after they reached the disk). Values carry a serial number, so
 * that failures name them briefly.
 */
import assert from "node:assert/strict";
import { assertIsomorphic } from "../../autograder/harness/isomorphic.ts";
import type { Simulation } from "../../autograder/harness/sim/simulation.ts";
import type * as Api from "../api.ts";

/** One operation on a key, as called: what it does, and how it ended (once it has). */
export type Op =
  | { kind: "put" | "putIfAbsent" | "append"; value: unknown }
  | { kind: "appendAll"; values: unknown[] }
  | { kind: "del" }
  | { kind: "update"; change: "set" | "remove" | "keep" | "wrap" | "throw"; value: unknown };

/** What an operation ended with: its value, or the name of its error. */
export type Outcome = { value: unknown } | { error: string };

/** The serial number a value written by these tests carries. */
export function serialOf(value: unknown): unknown {
  return typeof value === "object" && value !== null && "serial" in value ? (value as { serial: unknown }).serial : value;
}

/** What the key holds after `op`, and what `op` returns, by the contract. */
export function apply(state: Api.Lookup, op: Op): { state: Api.Lookup; outcome: Outcome } {
  switch (op.kind) {
    case "put":
      return { state: { found: true, value: op.value }, outcome: { value: undefined } };
    case "putIfAbsent":
      return state.found ? { state, outcome: { value: false } } : { state: { found: true, value: op.value }, outcome: { value: true } };
    case "del":
      return { state: { found: false }, outcome: { value: state } };
    case "append":
    case "appendAll": {
      const list = state.found ? state.value : [];
      if (!Array.isArray(list)) return { state, outcome: { error: "TypeError" } };
      const next = [...list, ...(op.kind === "appendAll" ? op.values : [op.value])];
      return { state: { found: true, value: next }, outcome: { value: next.length } };
    }
    case "update": {
      if (op.change === "throw") return { state, outcome: { error: "RangeError" } };
      return { state: decide(op, state), outcome: { value: state } };
    }
  }
}

/** What an update's function returns for `current`. */
export function decide(op: Extract<Op, { kind: "update" }>, current: Api.Lookup): Api.Lookup {
  switch (op.change) {
    case "throw":
      throw new RangeError(`Cannot update: refused by ${String(serialOf(op.value))}`);
    case "remove":
      return { found: false };
    case "keep":
      return current;
    case "wrap":
      return { found: true, value: { serial: serialOf(op.value), before: current.found ? serialOf(current.value) : "absent" } };
    case "set":
      return { found: true, value: op.value };
  }
}

/** Whether two values are the same, as milestone 1 carries them. */
export function same(actual: unknown, expected: unknown): boolean {
  try {
    assertIsomorphic(actual, expected);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `op` on a store. An update's function decides at once or, given
 * `pause`, after awaiting it (in a simulation, a pause in virtual time: a
 * real timer or immediate does not hold the scheduler, which stops once it
 * has nothing left to run).
 */
export function run(store: Api.LocalStore, gid: string, key: string, op: Op, pause?: () => Promise<void>): Promise<unknown> {
  switch (op.kind) {
    case "put":
      return store.put(gid, key, op.value);
    case "putIfAbsent":
      return store.putIfAbsent(gid, key, op.value);
    case "del":
      return store.del(gid, key);
    case "append":
      return store.append(gid, key, op.value);
    case "appendAll":
      return store.appendAll(gid, key, op.values);
    case "update":
      return store.update(gid, key, pause === undefined ? (current) => decide(op, current) : async (current) => (await pause(), decide(op, current)));
  }
}

/**
 * The operations called on one key since the last check, in call order, and
 * what the key held before them (what the last check found).
 */
export class KeyHistory {
  state: Api.Lookup = { found: false };
  calls: Array<{ op: Op; outcome?: Outcome }> = [];

  /** The states the key may hold now: after all the calls that ended, and perhaps some of the later ones. */
  allowed(): Array<{ state: Api.Lookup; calls: number }> {
    const ended = this.calls.reduce((last, call, i) => (call.outcome === undefined ? last : i + 1), 0);
    const states: Array<{ state: Api.Lookup; calls: number }> = [];
    let state = this.state;
    for (let i = 0; i <= this.calls.length; i++) {
      if (i >= ended) states.push({ state, calls: i });
      const call = this.calls[i];
      if (call !== undefined) state = apply(state, call.op).state;
    }
    return states;
  }

  /** Checks what each call that ended returned against the contract, in call order. */
  checkOutcomes(key: string): void {
    let state = this.state;
    for (const [i, call] of this.calls.entries()) {
      const expected = apply(state, call.op);
      if (call.outcome !== undefined) {
        assert.ok(same(call.outcome, expected.outcome), `${key}: call ${i} (${call.op.kind}) returned ${JSON.stringify(call.outcome)}, not what the calls before it make ${JSON.stringify(expected.outcome)}`);
      }
      state = expected.state;
    }
  }
}

/** Everything done to one namespace of a node's store, key by key. */
export class Histories {
  readonly #keys = new Map<string, KeyHistory>();

  of(key: string): KeyHistory {
    let history = this.#keys.get(key);
    if (history === undefined) this.#keys.set(key, (history = new KeyHistory()));
    return history;
  }

  /**
   * Notes the call of `op` on `key`, which `started` is, and its end when it
   * comes. An error ends it too, unless `errorsEnd` is false (a call through
   * the network that fails may or may not have run).
   */
  note(key: string, op: Op, started: Promise<unknown>, errorsEnd = true): Promise<void> {
    const call: { op: Op; outcome?: Outcome } = { op };
    this.of(key).calls.push(call);
    return started.then(
      (value) => void (call.outcome = { value }),
      (error: unknown) => void (errorsEnd && (call.outcome = { error: error instanceof Error ? error.name : String(error) })),
    );
  }

  /**
   * Checks a store (just restarted, or quiet) against the histories: each key
   * holds one of the states its calls allow, and keys() lists exactly the
   * keys held. The states found become the starting points of the next round.
   */
  async check(sim: Simulation, store: Api.LocalStore, gid: string, round: string): Promise<void> {
    const listed = await sim.settle(store.keys(gid));
    assert.equal(new Set(listed).size, listed.length, `${round}: keys() lists a key twice: ${JSON.stringify(listed)}`);
    const held: string[] = [];
    for (const [key, history] of this.#keys) {
      history.checkOutcomes(key);
      const found = await sim.settle(store.get(gid, key));
      const allowed = history.allowed();
      const match = allowed.find((option) => same(found, option.state));
      const calls = history.calls.map((call) => `${call.op.kind}${call.outcome === undefined ? " (running)" : ""}`).join(", ");
      assert.ok(match !== undefined,
        `${round}: ${JSON.stringify(key)} holds ${describe(found)}, but after its calls since the last check (${calls || "none"}) it may hold only ${allowed.map((option) => describe(option.state)).join(" or ")}`);
      history.state = match.state;
      history.calls = [];
      if (found.found) held.push(key);
    }
    assert.deepEqual([...listed].sort(), held.sort(), `${round}: keys() lists exactly the keys held`);
  }
}

/** A lookup in a line: the serial numbers of a list's elements, or of a value. */
export function describe(lookup: Api.Lookup): string {
  if (!lookup.found) return "nothing";
  return Array.isArray(lookup.value) ? `[${lookup.value.map((item) => String(serialOf(item))).join(", ")}]` : `value ${JSON.stringify(serialOf(lookup.value))}`;
}
