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
 */
import { createHash } from "node:crypto";
import type { Placement } from "../api.ts";

export const defaultPlacement: Placement = { scheme: "consistent", vnodes: 100 };

export function keyHash(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Rings by members and virtual node count: building one sorts N × vnodes points. */
const rings = new Map<string, Array<[position: string, member: string]>>();

function ring(members: string[], vnodes: number): Array<[string, string]> {
  const id = `${vnodes}|${[...members].sort().join(",")}`;
  let points = rings.get(id);
  if (points === undefined) {
    points = members.flatMap((member) => Array.from({ length: vnodes }, (_, i) => [keyHash(`${member}#${i}`), member] as [string, string]));
    points.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (rings.size > 64) rings.clear();
    rings.set(id, points);
  }
  return points;
}

/** The first ring point at or after `position` (wrapping around), by binary search. */
function successor(points: Array<[string, string]>, position: string): string {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((points[middle] as [string, string])[0] < position) low = middle + 1;
    else high = middle;
  }
  return (points[low % points.length] as [string, string])[1];
}

/**
 * The owner of a key among the members.
 *
 * @throws RangeError when there are no members.
 */
export function owner(key: string, members: string[], placement: Placement = defaultPlacement): string {
  if (members.length === 0) throw new RangeError(`Cannot place "${key}": the group has no members`);
  const position = keyHash(key);
  switch (placement.scheme) {
    case "naive": {
      const sorted = [...members].sort();
      return sorted[Number(BigInt(`0x${position}`) % BigInt(sorted.length))] as string;
    }
    case "consistent":
      return successor(ring(members, placement.vnodes ?? 100), position);
    case "rendezvous": {
      let best = "";
      let winner = members[0] as string;
      for (const member of members) {
        const weight = keyHash(`${member}|${key}`);
        if (weight > best) [best, winner] = [weight, member];
      }
      return winner;
    }
  }
}
