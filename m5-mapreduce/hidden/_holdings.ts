/**
 * Where a job's data is, read from the members' own stores (`node.local`):
 * shared by the hidden tests, which reach members in this process, and the
 * black-box tests, which reach them through the network. Each names a member
 * as a `Holder`, so nothing here loads code under test.
 */
import { isDeepStrictEqual } from "node:util";

/** A member's own store, as the checks below read it. */
export interface Holder {
  /** Its node id. */
  id: string;
  /** Its address, as "ip:port", for messages. */
  name: string;
  keys(gid: string): Promise<string[]>;
  get(gid: string, key: string): Promise<{ found: boolean; value?: unknown }>;
}

/** Every key of `gid` on the holders' stores, with its value and the holders (node ids) that hold it. */
export async function holdingsOf(holders: readonly Holder[], gid: string): Promise<Map<string, { value: unknown; holders: string[] }>> {
  const found = new Map<string, { value: unknown; holders: string[] }>();
  for (const holder of holders) {
    for (const name of await holder.keys(gid)) {
      const lookup = await holder.get(gid, name);
      const entry = found.get(name) ?? { value: lookup.found ? lookup.value : undefined, holders: [] };
      entry.holders.push(holder.id);
      found.set(name, entry);
    }
  }
  return found;
}

/**
 * Compares a job's output store `out`, as the holders' stores hold it, with
 * `expected`: each key once, on its owner (`ownerId(key)`), with its value.
 * Returns the first few differences, or "" when there are none.
 */
export async function outputProblems(holders: readonly Holder[], out: string, expected: ReadonlyMap<string, unknown>, ownerId: (key: string) => string): Promise<string> {
  const found = await holdingsOf(holders, out);
  const problems: string[] = [];
  const show = (name: string) => JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
  for (const [name, value] of expected) {
    const entry = found.get(name);
    const owner = ownerId(name);
    if (entry === undefined) problems.push(`${show(name)} is missing`);
    else if (entry.holders.length !== 1 || entry.holders[0] !== owner) problems.push(`${show(name)} is on [${entry.holders.map((id) => id.slice(0, 6)).join(", ")}], its owner is ${owner.slice(0, 6)}`);
    else if (!isDeepStrictEqual(entry.value, value)) problems.push(`${show(name)} holds ${preview(entry.value)}, expected ${preview(value)}`);
  }
  for (const name of found.keys()) if (!expected.has(name)) problems.push(`${show(name)} was never expected`);
  return problems.length === 0 ? "" : `${problems.length} of ${expected.size} output keys wrong, e.g. ${problems.slice(0, 5).join("; ")}`;
}

const preview = (value: unknown) => {
  const text = JSON.stringify(value, (_k, v: unknown) => (v instanceof Map ? [...v] : typeof v === "bigint" ? `${v}n` : v)) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};

/** The namespaces of job `id` (its shuffles and rounds 1 … `rounds` + 1, and `also`) that still hold keys on a holder. */
export async function leftoversOf(holders: readonly Holder[], id: string, rounds: number, also: readonly string[] = []): Promise<string[]> {
  const namespaces = [...also];
  for (let round = 1; round <= rounds + 1; round++) namespaces.push(`${id}-shuffle-${round}`, `${id}-round-${round}`);
  const left: string[] = [];
  for (const namespace of namespaces) {
    for (const holder of holders) {
      const held = await holder.keys(namespace);
      if (held.length > 0) left.push(`${namespace} holds ${held.length} keys on ${holder.name}`);
    }
  }
  return left;
}
