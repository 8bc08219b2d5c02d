/**
 * handouts/m4.md#placement: `keyHash`, `owner` and `owners` exactly as
 * defined, each recomputed here with node:crypto (./_placement.ts), for
 * random members and keys; what `owners` gives when the group is smaller
 * than n, and the RangeErrors; and the promised spread of consistent hashing
 * with 100 virtual nodes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import type * as Api from "../api.ts";
import { m4 } from "./_group.ts";
import { Placer, sha256 } from "./_placement.ts";

/** A node id: 64 hex digits. */
function randomNid(random: Random): string {
  return sha256(`node ${random.uint32()} ${random.uint32()}`);
}

/** A key of any kind but lone surrogates (whose UTF-8 bytes are not defined). */
function randomKey(random: Random): string {
  switch (random.int(0, 5)) {
    case 0:
      return `user:${random.int(0, 1_000_000)}`;
    case 1:
      return String.fromCodePoint(...Array.from({ length: random.int(0, 12) }, () => random.pick([0, 0x2f, 0x2e, 0xe9, 0x4e2d, 0x1f5dd, random.int(32, 126)])));
    case 2:
      return "../".repeat(random.int(1, 5)) + "etc/passwd";
    case 3:
      return `k\u0000${random.int(0, 99)}`;
    case 4:
      return "x".repeat(random.int(0, 10_000));
    default:
      return sha256(String(random.uint32()));
  }
}

function randomMembers(random: Random, count: number): string[] {
  return Array.from({ length: count }, () => randomNid(random));
}

const schemes: Api.Placement[] = [
  { scheme: "naive" },
  { scheme: "consistent", vnodes: 100 },
  { scheme: "consistent", vnodes: 1 },
  { scheme: "consistent", vnodes: 3 },
  { scheme: "rendezvous" },
];

test("keyHash is the SHA-256 of the key, in hex, for keys of any kind", withSeed((random) => {
  for (const key of ["", "\u0000", "ünïcødé 🗝", "中文", "../../etc/passwd", "x".repeat(10_000)]) {
    assert.equal(m4.keyHash(key), sha256(key), `keyHash(${JSON.stringify(key.slice(0, 20))})`);
  }
  for (let i = 0; i < 300; i++) {
    const key = randomKey(random);
    const hash = m4.keyHash(key);
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.equal(hash, sha256(key), `keyHash(${JSON.stringify(key.slice(0, 20))})`);
  }
}));

test("naive placement gives a key to the sorted members' entry at its hash modulo n", withSeed((random) => {
  const placer = new Placer({ scheme: "naive" });
  for (let round = 0; round < 40; round++) {
    const members = randomMembers(random, random.int(1, 12));
    for (let i = 0; i < 50; i++) {
      const key = randomKey(random);
      assert.equal(m4.owner(key, members, { scheme: "naive" }), placer.owner(key, members), `naive owner of ${JSON.stringify(key.slice(0, 20))} among ${members.length}`);
    }
  }
}));

test("consistent placement gives a key to the member of the first virtual-node point at or after the key's hash", withSeed((random) => {
  for (const vnodes of [1, 2, 3, 7, 100]) {
    const placer = new Placer({ scheme: "consistent", vnodes });
    for (let round = 0; round < 8; round++) {
      const members = randomMembers(random, random.int(1, 12));
      for (let i = 0; i < 60; i++) {
        const key = randomKey(random);
        assert.equal(
          m4.owner(key, members, { scheme: "consistent", vnodes }),
          placer.owner(key, members),
          `consistent owner (vnodes ${vnodes}) of ${JSON.stringify(key.slice(0, 20))} among ${members.length}`,
        );
      }
    }
  }
}));

test("consistent placement: a key exactly on a point belongs to that point's member", withSeed((random) => {
  const members = randomMembers(random, 6);
  for (const member of members) {
    for (const i of [0, 1, 2]) {
      // keyHash(`${member}#${i}`) is that point's position, exactly.
      assert.equal(m4.owner(`${member}#${i}`, members, { scheme: "consistent", vnodes: 3 }), member, `the key on point ${i} of ${member.slice(0, 5)}`);
    }
  }
}));

test("consistent placement wraps a key past the last point around to the first point", withSeed((random) => {
  let checked = 0;
  for (let attempt = 0; attempt < 200 && checked < 20; attempt++) {
    const members = randomMembers(random, random.int(2, 5));
    const points = members.flatMap((member) => [0, 1].map((i) => ({ at: sha256(`${member}#${i}`), member })));
    points.sort((x, y) => (x.at < y.at ? -1 : 1));
    const last = points.at(-1)?.at as string;
    for (let i = 0; i < 50; i++) {
      const key = `wrap ${random.uint32()}`;
      if (sha256(key) <= last) continue;
      assert.equal(m4.owner(key, members, { scheme: "consistent", vnodes: 2 }), points[0]?.member, "a key after the last point belongs to the first point's member");
      checked++;
    }
  }
  assert.ok(checked >= 20);
}));

test("consistent placement has 100 virtual nodes by default, and is the default placement", withSeed((random) => {
  const placer = new Placer({ scheme: "consistent", vnodes: 100 });
  for (let round = 0; round < 10; round++) {
    const members = randomMembers(random, random.int(2, 10));
    for (let i = 0; i < 40; i++) {
      const key = randomKey(random);
      const expected = placer.owner(key, members);
      assert.equal(m4.owner(key, members, { scheme: "consistent" }), expected, "consistent without vnodes");
      assert.equal(m4.owner(key, members), expected, "no placement given");
    }
  }
}));

test("rendezvous placement gives a key to the member with the highest keyHash(nid|key)", withSeed((random) => {
  const placer = new Placer({ scheme: "rendezvous" });
  for (let round = 0; round < 40; round++) {
    const members = randomMembers(random, random.int(1, 12));
    for (let i = 0; i < 30; i++) {
      const key = randomKey(random);
      assert.equal(m4.owner(key, members, { scheme: "rendezvous" }), placer.owner(key, members), `rendezvous owner of ${JSON.stringify(key.slice(0, 20))} among ${members.length}`);
    }
  }
}));

test("owner does not depend on the order in which members are listed", withSeed((random) => {
  for (const placement of schemes) {
    const members = randomMembers(random, 8);
    for (let i = 0; i < 100; i++) {
      const key = randomKey(random);
      const expected = m4.owner(key, members, placement);
      assert.equal(m4.owner(key, random.shuffle([...members]), placement), expected, `${placement.scheme} owner after a shuffle`);
    }
  }
}));

test("a single member owns every key, under every placement", withSeed((random) => {
  const [only] = randomMembers(random, 1);
  for (const placement of schemes) {
    for (let i = 0; i < 50; i++) assert.equal(m4.owner(randomKey(random), [only as string], placement), only, placement.scheme);
  }
}));

test("under consistent and rendezvous placement, a join takes keys only to the newcomer and a leave only from the leaver", withSeed((random) => {
  for (const placement of [{ scheme: "consistent", vnodes: 100 }, { scheme: "rendezvous" }] as Api.Placement[]) {
    const members = randomMembers(random, 8);
    const newcomer = randomNid(random);
    const grown = [...members, newcomer];
    const leaver = random.pick(members);
    const shrunk = members.filter((member) => member !== leaver);
    let joined = 0;
    let left = 0;
    for (let i = 0; i < 2_000; i++) {
      const key = `key ${i} ${random.uint32()}`;
      const before = m4.owner(key, members, placement);
      const afterJoin = m4.owner(key, grown, placement);
      const afterLeave = m4.owner(key, shrunk, placement);
      if (afterJoin !== before) {
        assert.equal(afterJoin, newcomer, `${placement.scheme}: after a join, a key changed owner but not to the newcomer`);
        joined++;
      }
      if (afterLeave !== before) {
        assert.equal(before, leaver, `${placement.scheme}: after a leave, a key not on the leaver changed owner`);
        left++;
      }
    }
    // About 2,000/9 and 2,000/8 keys; a placement that never moves anything is not one.
    assert.ok(joined > 50 && joined < 600, `${placement.scheme}: ${joined} of 2,000 keys moved on a join to 9 members`);
    assert.ok(left > 50 && left < 700, `${placement.scheme}: ${left} of 2,000 keys moved on a leave to 7 members`);
  }
}));

test("consistent hashing with 100 virtual nodes puts at most 1.25 times the mean on the fullest of 10 members (median over member sets)", withSeed((random) => {
  // One member set is unlucky about one time in eight; the median of 21 almost never is.
  const ratios: number[] = [];
  for (let set = 0; set < 21; set++) {
    const members = randomMembers(random, 10);
    const load = new Map<string, number>(members.map((member) => [member, 0]));
    for (let i = 0; i < 10_000; i++) {
      const nid = m4.owner(`item:${set}:${i}:${random.uint32()}`, members, { scheme: "consistent", vnodes: 100 });
      assert.ok(load.has(nid), "owner returns one of the members");
      load.set(nid, (load.get(nid) as number) + 1);
    }
    ratios.push(Math.max(...load.values()) / 1_000);
  }
  ratios.sort((x, y) => x - y);
  const median = ratios[10] as number;
  assert.ok(median <= 1.25, `median max/mean ${median.toFixed(3)} over 21 member sets (all: ${ratios.map((r) => r.toFixed(2)).join(" ")})`);
}));

/** Checks `owners` against the handout's definition, computed by `placer`, for random groups, keys and n. */
function checkOwners(random: Random, placement: Api.Placement, placer: Placer, rounds: number): void {
  for (let round = 0; round < rounds; round++) {
    const members = randomMembers(random, random.int(1, 12));
    for (let i = 0; i < 25; i++) {
      const key = randomKey(random);
      const n = random.int(1, members.length + 2);
      assert.deepEqual(m4.owners(key, members, placement, n), placer.replicas(key, members, n),
        `${placement.scheme}${placement.vnodes === undefined ? "" : ` (vnodes ${placement.vnodes})`} owners of ${JSON.stringify(key.slice(0, 20))} among ${members.length}, n = ${n}`);
    }
  }
}

test("owners under naive placement are the owner, then the members after it in sorted order, wrapping around", withSeed((random) => {
  checkOwners(random, { scheme: "naive" }, new Placer({ scheme: "naive" }), 40);
}));

test("owners under consistent placement are the members of the next points on the ring, skipping members already chosen", withSeed((random) => {
  for (const vnodes of [1, 2, 3, 7, 100]) checkOwners(random, { scheme: "consistent", vnodes }, new Placer({ scheme: "consistent", vnodes }), 8);
  checkOwners(random, { scheme: "consistent" }, new Placer({ scheme: "consistent", vnodes: 100 }), 8);
  // A key exactly on a point (keyHash(`${nid}#${i}`) is that point's position) starts at that point.
  const placer = new Placer({ scheme: "consistent", vnodes: 3 });
  const members = randomMembers(random, 5);
  for (const member of members) {
    for (const i of [0, 1, 2]) {
      const key = `${member}#${i}`;
      const chosen = m4.owners(key, members, { scheme: "consistent", vnodes: 3 }, 3);
      assert.deepEqual(chosen, placer.replicas(key, members, 3), `owners of the key on point ${i} of ${member.slice(0, 5)}`);
      assert.equal(chosen[0], member);
    }
  }
}));

test("owners under rendezvous placement are the members in order of falling weight", withSeed((random) => {
  checkOwners(random, { scheme: "rendezvous" }, new Placer({ scheme: "rendezvous" }), 40);
}));

test("owners are distinct members of the group, and all of them when the group has fewer than n", withSeed((random) => {
  for (const placement of schemes) {
    for (let round = 0; round < 20; round++) {
      const members = randomMembers(random, random.int(1, 9));
      const key = randomKey(random);
      for (let n = 1; n <= members.length + 3; n++) {
        const chosen = m4.owners(key, members, placement, n);
        assert.equal(chosen.length, Math.min(n, members.length), `${placement.scheme}: owners(…, ${n}) among ${members.length} members`);
        assert.equal(new Set(chosen).size, chosen.length, `${placement.scheme}: owners(…, ${n}) names a member twice`);
        for (const member of chosen) assert.ok(members.includes(member), `${placement.scheme}: owners names a non-member`);
      }
      assert.deepEqual([...m4.owners(key, members, placement, members.length + 5)].sort(), [...members].sort(), `${placement.scheme}: all the members when n exceeds the group`);
    }
  }
}));

test("owner is owners(…, 1)[0] under every placement, the default placement included", withSeed((random) => {
  for (const placement of schemes) {
    for (let i = 0; i < 100; i++) {
      const members = randomMembers(random, random.int(1, 10));
      const key = randomKey(random);
      const first = m4.owners(key, members, placement, 1);
      assert.equal(first.length, 1);
      assert.equal(m4.owner(key, members, placement), first[0], `${placement.scheme}: owner and owners(…, 1)[0] of ${JSON.stringify(key.slice(0, 20))}`);
      assert.equal(m4.owners(key, members, placement, 3)[0], first[0], `${placement.scheme}: the owner comes first`);
    }
  }
  const members = randomMembers(random, 7);
  for (let i = 0; i < 50; i++) {
    const key = randomKey(random);
    assert.equal(m4.owner(key, members), m4.owners(key, members, m4.defaultPlacement, 1)[0], "the default placement");
  }
}));

test("owners do not depend on the order in which members are listed", withSeed((random) => {
  for (const placement of schemes) {
    const members = randomMembers(random, 8);
    for (let i = 0; i < 60; i++) {
      const key = randomKey(random);
      const n = random.int(1, 10);
      assert.deepEqual(m4.owners(key, random.shuffle([...members]), placement, n), m4.owners(key, members, placement, n), `${placement.scheme} owners after a shuffle`);
    }
  }
}));

test("owner and owners throw a RangeError when there are no members, and owners when n is not a positive integer", withSeed((random) => {
  const members = randomMembers(random, 4);
  for (const placement of schemes) {
    assert.throws(() => m4.owner("k", [], placement), RangeError, `${placement.scheme}: owner among no members`);
    assert.throws(() => m4.owners("k", [], placement, 1), RangeError, `${placement.scheme}: owners among no members`);
    for (const n of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      assert.throws(() => m4.owners("k", members, placement, n), RangeError, `${placement.scheme}: owners with n = ${n}`);
    }
  }
  assert.throws(() => m4.owner("k", []), RangeError, "owner with the default placement among no members");
}));
