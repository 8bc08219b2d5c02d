/**
 * The placements of handouts/m4.md#placement, computed here independently
 * of the implementation under test, with node:crypto: what `owner` must
 * answer, and so where a group store must keep each key.
 *
 * - naive: the sorted members, at index SHA-256(key) mod n;
 * - consistent: `vnodes` points per member at SHA-256(nid + "#" + i),
 *   i = 0 … vnodes - 1; the first point at or after SHA-256(key), wrapping;
 * - rendezvous: the member with the highest SHA-256(nid + "|" + key).
 *
 * And `owners`, the first n distinct members for a key, the owner first:
 * the members after the owner in sorted order (naive), the members of the
 * next points on the ring (consistent), the members by falling weight
 * (rendezvous); all of them when there are fewer than n.
 *
 * Hashes are cached, so that recomputing 10,000 owners for each of twenty
 * member sets stays cheap.
 */
import { createHash } from "node:crypto";
import type { Placement } from "../api.ts";

/** SHA-256 of a string (UTF-8), in hex. */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The node id of an address: SHA-256 of "ip:port" (handouts/m2.md). */
export function nidOf(address: { ip: string; port: number }): string {
  return sha256(`${address.ip}:${address.port}`);
}

/** Computes owners under one placement, caching what it hashes. */
export class Placer {
  readonly placement: Placement;
  readonly #keyHashes = new Map<string, string>();
  readonly #rings = new Map<string, { points: string[]; owners: string[] }>();
  readonly #scores = new Map<string, Map<string, string>>();

  constructor(placement: Placement = { scheme: "consistent", vnodes: 100 }) {
    this.placement = placement;
  }

  keyHash(key: string): string {
    let hash = this.#keyHashes.get(key);
    if (hash === undefined) this.#keyHashes.set(key, (hash = sha256(key)));
    return hash;
  }

  /** The member (node id) that owns `key` among `members`. */
  owner(key: string, members: readonly string[]): string {
    if (members.length === 0) throw new RangeError("Cannot place a key: no members");
    switch (this.placement.scheme) {
      case "naive": {
        const sorted = [...members].sort();
        return sorted[Number(BigInt(`0x${this.keyHash(key)}`) % BigInt(sorted.length))] as string;
      }
      case "consistent":
        return this.#ringOwner(key, members);
      case "rendezvous": {
        let best = "";
        let bestScore = "";
        for (const member of members) {
          const score = this.#score(member, key);
          if (score > bestScore) [best, bestScore] = [member, score];
        }
        return best;
      }
    }
  }

  /** The first `n` distinct members for `key`, the owner first (all of them when there are fewer). */
  replicas(key: string, members: readonly string[], n: number): string[] {
    if (members.length === 0) throw new RangeError("Cannot place a key: no members");
    const count = Math.min(n, new Set(members).size);
    switch (this.placement.scheme) {
      case "naive": {
        const sorted = [...members].sort();
        const first = Number(BigInt(`0x${this.keyHash(key)}`) % BigInt(sorted.length));
        return Array.from({ length: count }, (_, j) => sorted[(first + j) % sorted.length] as string);
      }
      case "consistent": {
        const ring = this.#ring(members);
        const first = this.#firstPoint(ring.points, this.keyHash(key));
        const chosen: string[] = [];
        for (let step = 0; chosen.length < count; step++) {
          const member = ring.owners[(first + step) % ring.points.length] as string;
          if (!chosen.includes(member)) chosen.push(member);
        }
        return chosen;
      }
      case "rendezvous": {
        const weights = new Map(members.map((member) => [member, this.#score(member, key)]));
        return [...weights.keys()].sort((x, y) => ((weights.get(x) as string) > (weights.get(y) as string) ? -1 : 1)).slice(0, count);
      }
    }
  }

  /** Owners of many keys, by key. */
  owners(keys: readonly string[], members: readonly string[]): Map<string, string> {
    return new Map(keys.map((key) => [key, this.owner(key, members)]));
  }

  #ringOwner(key: string, members: readonly string[]): string {
    const ring = this.#ring(members);
    return ring.owners[this.#firstPoint(ring.points, this.keyHash(key))] as string;
  }

  /** The ring of `members`: its points in order, and the member of each. */
  #ring(members: readonly string[]): { points: string[]; owners: string[] } {
    const id = [...members].sort().join(",");
    let ring = this.#rings.get(id);
    if (ring === undefined) {
      const vnodes = this.placement.vnodes ?? 100;
      const entries: Array<[string, string]> = [];
      for (const member of new Set(members)) {
        for (let i = 0; i < vnodes; i++) entries.push([sha256(`${member}#${i}`), member]);
      }
      entries.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
      ring = { points: entries.map((entry) => entry[0]), owners: entries.map((entry) => entry[1]) };
      this.#rings.set(id, ring);
    }
    return ring;
  }

  /** The index of the first point at or after `position`, wrapping around. */
  #firstPoint(points: readonly string[], position: string): number {
    let low = 0;
    let high = points.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((points[middle] as string) < position) low = middle + 1;
      else high = middle;
    }
    return low === points.length ? 0 : low;
  }

  #score(member: string, key: string): string {
    let scores = this.#scores.get(member);
    if (scores === undefined) this.#scores.set(member, (scores = new Map()));
    let score = scores.get(key);
    if (score === undefined) scores.set(key, (score = sha256(`${member}|${key}`)));
    return score;
  }
}

/** How many keys change owner between two member sets. */
export function changedOwners(placer: Placer, keys: readonly string[], before: readonly string[], after: readonly string[]): number {
  let changed = 0;
  for (const key of keys) if (placer.owner(key, before) !== placer.owner(key, after)) changed++;
  return changed;
}
