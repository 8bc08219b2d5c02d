/**
 * Deliberately broken variants of the m3 reference, each one small edit that
 * models a bug students write. `npm run verify m3` checks that the hidden
 * tests catch every one.
 */
import type { Mutant } from "../../autograder/grader/mutant.ts";

export const mutants: Mutant[] = [
  {
    name: "members-twice",
    file: "group-table.ts",
    target: "hidden/groups.test.ts",
    find: "if (!unique.some((known) => same(known, { ip, port }))) unique.push({ ip, port });",
    replace: "unique.push({ ip, port });",
    bug: "adding a member twice lists it twice, so group calls reach it twice",
  },
  {
    name: "group-errors-lost",
    file: "group.ts",
    target: "hidden/groups.test.ts",
    find: "outcome.errors.set(nid, error instanceof Error ? error : new Error(String(error)));",
    replace: "outcome.values.set(nid, undefined as T);",
    bug: "a member that fails shows up as a member that answered undefined",
  },
  {
    name: "sum-counts-sent-twice",
    file: "group.ts",
    target: "hidden/groups.test.ts",
    find: "received: total((report) => report.counts.received)",
    replace: "received: total((report) => report.counts.sent)",
    bug: "status.sum adds up the wrong counter",
  },
  {
    name: "ids-repeat-after-restart",
    file: "message-ids.ts",
    target: "hidden/gossip.test.ts",
    find: "const life = `${node.id}:${node.context.clock.now()}`;",
    replace: "const life = node.id;",
    bug: "rumor and value ids are the node id and a counter, so a node restarted at its address repeats them and everyone drops its news as seen",
  },
  {
    name: "rumors-redelivered",
    file: "gossip-core.ts",
    target: "hidden/gossip-rounds.test.ts",
    find: "if (!this.#seen.add(rumor.id)) return false;",
    replace: "this.#seen.add(rumor.id);",
    bug: "a rumor that comes back is delivered again",
  },
  {
    name: "one-round-only",
    file: "gossip-core.ts",
    target: "hidden/gossip-rounds.test.ts",
    find: "rounds: (n) => Math.ceil(Math.log2(Math.max(2, n))) + 1,",
    replace: "rounds: () => 1,",
    bug: "nodes push a rumor once and stop, so some members never hear it",
  },
  {
    name: "fanout-one",
    file: "gossip-core.ts",
    target: "hidden/gossip-rounds.test.ts",
    find: "fanout: (n) => Math.max(1, Math.ceil(Math.log(n))),",
    replace: "fanout: () => 1,",
    bug: "each node pushes to one member per round, so rumors crawl",
  },
  {
    name: "row-mates-relay",
    file: "broadcast-core.ts",
    target: "hidden/broadcast.test.ts",
    find: "return rowOf(from) === mine ? [] : rowMates;",
    replace: "return rowMates;",
    bug: "a value from a row mate is passed along the row again: many more messages",
  },
  {
    name: "failed-batches-dropped",
    file: "broadcast.ts",
    target: "hidden/broadcast.test.ts",
    find: "            core.requeue(peer, items);\n",
    replace: "",
    bug: "a batch lost to a partition is never sent again",
  },
  {
    name: "no-second-chances",
    file: "swim-core.ts",
    target: "hidden/membership-bars.test.ts",
    find: "    probe.indirect = true;\n    const helpers",
    replace: "    probe.indirect = true;\n    if (probe.target) return [];\n    const helpers",
    bug: "one lost ping makes a member suspect: no second ping, no indirect probes",
  },
  {
    name: "no-refutation",
    file: "swim-core.ts",
    target: "hidden/membership-bars.test.ts",
    find: "        this.#incarnation = update.incarnation + 1;\n",
    replace: "",
    bug: "a suspected member never refutes, so a live member can be declared dead",
  },
  {
    name: "suspects-never-die",
    file: "swim-core.ts",
    target: "hidden/membership-bars.test.ts",
    find: 'if (member.state === "suspect" && now - member.suspectSince >= this.#settings.suspicionMs) {',
    replace: 'if (member.state === "suspect" && now - member.suspectSince >= Infinity) {',
    bug: "a suspect stays suspect forever: crashed members are never declared dead",
  },
  {
    name: "dead-forever",
    file: "swim-core.ts",
    target: "hidden/membership.test.ts",
    find: "      return update.incarnation > member.incarnation;\n",
    replace: '      return member.state !== "dead" && update.incarnation > member.incarnation;\n',
    bug: "a member once declared dead can never come back, even after it restarts",
  },
];
