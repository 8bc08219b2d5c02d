import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { m4 } from "./_nodes.ts";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const members = Array.from({ length: 10 }, (_, i) => sha256(`node ${i}`));

test("keyHash is the SHA-256 of the key, in hex", () => {
  assert.equal(m4.keyHash("user:42"), sha256("user:42"));
});

test("rendezvous hashing gives a key to the member with the highest hash of member and key", () => {
  for (const key of ["a", "b", "user:42"]) {
    const best = [...members].sort((x, y) => (sha256(`${y}|${key}`) > sha256(`${x}|${key}`) ? 1 : -1))[0];
    assert.equal(m4.owner(key, members, { scheme: "rendezvous" }), best);
  }
});

test("naive hashing gives a key to the member at its hash modulo n, in sorted order", () => {
  const sorted = [...members].sort();
  for (const key of ["a", "b", "user:42"]) {
    assert.equal(m4.owner(key, members, { scheme: "naive" }), sorted[Number(BigInt(`0x${sha256(key)}`) % 10n)]);
  }
});

test("consistent hashing with 100 virtual nodes spreads 10,000 keys evenly", () => {
  const load = new Map<string, number>();
  for (let i = 0; i < 10_000; i++) {
    const nid = m4.owner(`key-${i}`, members, { scheme: "consistent", vnodes: 100 });
    load.set(nid, (load.get(nid) ?? 0) + 1);
  }
  assert.equal(load.size, 10);
  // One set of members may be unlucky; over many, the fullest holds about 1.16 times the average.
  assert.ok(Math.max(...load.values()) / 1000 <= 1.4, `the fullest member holds ${Math.max(...load.values())} keys`);
});
