/**
 * Where a key lives among a group's members (node ids). Positions are
 * SHA-256 digests in hex, compared as strings (same length, so string order
 * is number order).
 *
 * - naive: the key's hash modulo the number of members, in sorted order.
 *   Simple, and when the group changes almost every key moves.
 * - consistent: each member owns `vnodes` points on a ring; a key belongs to
 *   the first point at or after its own position. A change moves only the
 *   keys next to the points that came or went, about K/N of K keys.
 * - rendezvous: the member with the highest hash of (member, key). Also about
 *   K/N keys move, and no ring to keep.
 *
 * `owners` gives the first n members for a key, where its replicas go: the
 * next distinct members in sorted order, on the ring, or by weight.
 */
import { hash } from "node:crypto";
import type { Placement } from "../api.ts";

export const defaultPlacement: Placement = { scheme: "consistent", vnodes: 100 };

export function keyHash(key: string): string {
  return hash("sha256", key, "hex");
}

type Ring = Array<[position: string, member: string]>;

/** Rings by members and virtual node count: building one sorts N × vnodes points. */
const rings = new Map<string, Ring>();
/**
 * The same, by the members array itself: a caller placing many keys passes
 * one array, and skips sorting and naming the set (what the array held is
 * kept, in case it changes).
 */
const ringsOfArrays = new WeakMap<string[], { members: string[]; vnodes: number; points: Ring }>();

const sameMembers = (a: string[], b: string[]) => a.length === b.length && a.every((member, i) => member === b[i]);

function ring(members: string[], vnodes: number): Ring {
  const known = ringsOfArrays.get(members);
  if (known !== undefined && known.vnodes === vnodes && sameMembers(known.members, members)) return known.points;
  const id = `${vnodes}|${[...members].sort().join(",")}`;
  let points = rings.get(id);
  if (points === undefined) {
    points = members.flatMap((member) => Array.from({ length: vnodes }, (_, i) => [keyHash(`${member}#${i}`), member] as [string, string]));
    points.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (rings.size > 64) rings.clear();
    rings.set(id, points);
  }
  ringsOfArrays.set(members, { members: [...members], vnodes, points });
  return points;
}

/** The index of the first ring point at or after `position` (wrapping around), by binary search. */
function successor(points: Array<[string, string]>, position: string): number {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((points[middle] as [string, string])[0] < position) low = middle + 1;
    else high = middle;
  }
  return low % points.length;
}

/**
 * The first `n` distinct members for a key, in order: the owner first, then
 * the members a replica would go to next (fewer when the group is smaller).
 *
 * @throws RangeError when there are no members, or `n` is not a positive integer.
 */
export function owners(key: string, members: string[], placement: Placement, n: number): string[] {
  if (members.length === 0) throw new RangeError(`Cannot place "${key}": the group has no members`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Cannot place "${key}" on ${n} members: expected a positive integer`);
  const count = Math.min(n, members.length);
  const position = keyHash(key);
  switch (placement.scheme) {
    case "naive": {
      const sorted = [...members].sort();
      const first = Number(BigInt(`0x${position}`) % BigInt(sorted.length));
      return Array.from({ length: count }, (_, i) => sorted[(first + i) % sorted.length] as string);
    }
    case "consistent": {
      const points = ring(members, placement.vnodes ?? 100);
      const chosen = new Set<string>();
      for (let i = successor(points, position); chosen.size < count; i = (i + 1) % points.length) {
        chosen.add((points[i] as [string, string])[1]);
      }
      return [...chosen];
    }
    case "rendezvous": {
      const weighed = members.map((member) => [keyHash(`${member}|${key}`), member] as [string, string]);
      weighed.sort(([a], [b]) => (a > b ? -1 : a < b ? 1 : 0));
      return weighed.slice(0, count).map(([, member]) => member);
    }
  }
}

/**
 * The owner of a key among the members: its first owner.
 *
 * @throws RangeError when there are no members.
 */
export function owner(key: string, members: string[], placement: Placement = defaultPlacement): string {
  return owners(key, members, placement, 1)[0] as string;
}
