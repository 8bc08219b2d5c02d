/**
 * Black-box tests of milestone 3: every node under test runs in a child
 * process of its own (as the student's user on the autograder), and this
 * process, which loads references only, sees it through the network alone:
 * its api through the harness service (groups, group(gid), gossip,
 * broadcast, membership), what it sends through its status counts, what
 * its handlers get through recorders. Reference nodes join some groups to
 * answer, hang or fail on purpose, and to check that a node under test
 * speaks the `groups` service as the handout names it.
 *
 * The tests share one pool of five nodes, each test in groups of its own;
 * a test may crash a pool node or restart it with other options, and the
 * next test gets it back restarted at its port. Message counts come from
 * the nodes' `counts.sent` and are compared with the handout's exact
 * figures once the nodes have fallen silent; nothing here measures time.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { withSeed } from "../../autograder/harness/seed.ts";
import { eventually, pause } from "../../autograder/harness/wait.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as Api from "../api.ts";
import type { GroupOutcome, GroupStatus, MemberView, NodeAddress, Rumor } from "../api.ts";
import {
  broadcastCalls,
  cancelIt,
  client,
  fileScope,
  freeAddress,
  keepIt,
  layout,
  membersText,
  nidOf,
  nodeCallLimitMs,
  Pool,
  quiet,
  recorder,
  referenceNode,
  type Remote,
  sentCounts,
  sentSince,
  setViews,
  settle,
  type Step,
  stopClient,
} from "./_black-box.ts";

const m3 = await load<typeof Api>("m3", "reference");

// ---------------------------------------------------------------------------
// The nodes the tests share.

const shared = fileScope();
after(async () => {
  await shared.end();
  await stopClient();
});

/** Broadcast batches of 500 ms: values sent together by one harness burst land in one batch even on half a CPU. */
const batchMs = 500;
const pool = new Pool(shared.context, 5, { callTimeoutMs: nodeCallLimitMs, broadcast: { batchMs } });

/** How long nothing may be sent for a node to count as silent: over ten gossip rounds, over two broadcast batches. */
const silenceMs = 1200;

/** Membership options for a group of pool nodes: periods long enough for half a CPU. */
const periodMs = 500;

/** How long a test waits for something that the protocol makes happen (it only bounds a failure). */
const waitLimitMs = 45_000;

// ---------------------------------------------------------------------------
// Small helpers.

const nids = (nodes: readonly { nid: string }[]): string[] => nodes.map((node) => node.nid).sort();
const keysOf = (map: Map<string, unknown>): string[] => [...map.keys()].sort();
/** The names of the errors of a group-wide call, by node id (errors keep their names across the network). */
const errorNames = (errors: Map<string, Error>): Map<string, string> => new Map([...errors].map(([nid, error]) => [nid, error.name]));

/** The default gossip parameters for a group of n (handouts/m3.md#gossip). */
const fanoutFor = (n: number): number => Math.max(1, Math.ceil(Math.log(n)));
const roundsFor = (n: number): number => Math.ceil(Math.log2(n)) + 1;

/** Registers a recorder for `topic` on each node, logging to `log` (by default named after the topic). */
async function listen(nodes: readonly Remote[], topic: string, log = topic): Promise<void> {
  await Promise.all(nodes.map((node) => node.call([["gossip"], ["on", [topic, recorder(log)]], keepIt])));
}

/** Waits until each node's log has `count` entries. */
async function untilLogged(nodes: readonly Remote[], log: string, count: number, what: string): Promise<void> {
  const sizes = new Map<string, number>();
  const done = await eventually(async () => {
    for (const node of nodes) sizes.set(node.short, (await node.log(log)).length);
    return [...sizes.values()].every((size) => size >= count);
  }, waitLimitMs, 50);
  assert.ok(done, `${what}: expected ${count} in every log, got ${JSON.stringify(Object.fromEntries(sizes))}`);
}

/** Checks that each node sent exactly (or, given a pair, between) the expected numbers of calls. */
function assertCalls(sent: Map<string, number>, expected: Map<string, number | [number, number]>, nodes: readonly Remote[], what: string): void {
  for (const node of nodes) {
    const want = expected.get(node.nid) as number | [number, number];
    const got = sent.get(node.nid);
    const [low, high] = typeof want === "number" ? [want, want] : want;
    assert.ok(got !== undefined && got >= low && got <= high, `${what}: ${node.short} sent ${got} calls, expected ${low === high ? low : `${low} to ${high}`} (all: ${JSON.stringify([...sent.values()])})`);
  }
}

// ---------------------------------------------------------------------------
// handouts/m3.md#groups

test("a node with groups but nothing to spread, send or watch sends nothing", async () => {
  const nodes = await pool.all();
  await setViews(nodes, "bb-idle", nodes);
  const before = await sentCounts(nodes);
  await pause(2 * silenceMs);
  assert.deepEqual(await sentCounts(nodes), before, "calls sent by idle nodes");
});

test("a view holds each member once, members being equal when ip and port both match", async () => {
  const [node] = (await pool.all()) as [Remote];
  const gid = "bb-view";
  const a = { ip: "127.0.0.1", port: 7001 };
  const b = { ip: "127.0.0.1", port: 7002 };
  const otherIp = { ip: "127.0.0.2", port: 7001 };
  const otherPort = { ip: "127.0.0.1", port: 7003 };
  const groups = (method: string, ...args: unknown[]) => node.call([["groups"], [method, args]]);
  assert.equal(await groups("get", gid), undefined, "a group never set");
  await groups("put", gid, [a, { port: 7001, ip: "127.0.0.1" }, b]);
  assert.deepEqual(membersText(await groups("get", gid)), membersText([a, b]), "put with a member twice");
  await groups("add", gid, { ...b });
  assert.deepEqual(membersText(await groups("get", gid)), membersText([a, b]), "adding a member already there");
  await groups("add", gid, otherIp);
  await groups("add", gid, otherPort);
  assert.deepEqual(membersText(await groups("get", gid)), membersText([a, b, otherIp, otherPort]), "members differing in ip or port only");
  await groups("rem", gid, { port: 7002, ip: "127.0.0.1" });
  await groups("rem", gid, { ip: "127.0.0.9", port: 7001 });
  assert.deepEqual(membersText(await groups("get", gid)), membersText([a, otherIp, otherPort]), "rem of an equal address, and of an absent one");
  assert.deepEqual(membersText(await groups("del", gid)), membersText([a, otherIp, otherPort]), "del returns the members");
  assert.equal(await groups("get", gid), undefined, "a deleted group");
  assert.equal(await groups("del", gid), undefined, "del of a group that is gone");
  await groups("add", "bb-view-added", a);
  assert.deepEqual(membersText(await groups("get", "bb-view-added")), membersText([a]), "add creates the group");
});

test("the groups service lets another node put, get, add, rem and del this node's views", async () => {
  const nodes = await pool.all();
  const node = nodes[1] as Remote;
  const caller = await client();
  const service = (method: string, ...args: unknown[]) => caller.comm.send(args, { node: node.address, service: "groups", method });
  const gid = "bb-service";
  const members = nodes.slice(0, 3).map((member) => member.address);
  await service("put", gid, members);
  assert.deepEqual(membersText(await node.view(gid)), membersText(members), "the node's own view after a remote put");
  assert.deepEqual(membersText((await service("get", gid)) as NodeAddress[]), membersText(members), "a remote get");
  await service("add", gid, (nodes[3] as Remote).address);
  await service("rem", gid, (nodes[0] as Remote).address);
  const changed = nodes.slice(1, 4).map((member) => member.address);
  assert.deepEqual(membersText(await node.view(gid)), membersText(changed), "the node's own view after a remote add and rem");
  assert.deepEqual(membersText((await service("del", gid)) as NodeAddress[]), membersText(changed), "a remote del returns the members");
  assert.equal(await node.view(gid), undefined, "the node's own view after a remote del");
});

test("a group-wide call gives each member's value under its node id, and each failure as a RemoteError, TimeoutError or UnreachableError under its id", async (t) => {
  const nodes = await pool.all();
  const students = nodes.slice(0, 3);
  const caller = nodes[0] as Remote;
  const hanging = await referenceNode(t);
  const bare = await referenceNode(t);
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  t.after(() => release());
  await hanging.routes.put({ who: () => gate.then(() => "late") }, "bb-who");
  const nowhere = await freeAddress();
  await Promise.all(students.map((node) => node.call([["routes"], ["put", [{ who: (word: string) => `student says ${word}` }, "bb-who"]]])));

  const gid = "bb-outcomes";
  await caller.setView(gid, students);
  const ids: GroupOutcome<string> = await caller.call([["group", [gid]], ["status"], ["get", ["nid"]]]);
  assert.deepEqual(keysOf(ids.values), nids(students), "status.get(\"nid\") values by node id");
  for (const [nid, value] of ids.values) assert.equal(value, nid, "each member's value is under its own node id");
  assert.equal(ids.errors.size, 0, "no errors");

  await caller.call([["groups"], ["put", [gid, [...students.map((node) => node.address), hanging.address, bare.address, nowhere]]]]);
  const outcome: GroupOutcome<unknown> = await caller.call([["group", [gid]], ["comm"], ["send", [["hi"], { service: "bb-who", method: "who" }, { timeoutMs: 2000 }]]], 30_000);
  assert.deepEqual(keysOf(outcome.values), nids(students), "the members that answered");
  for (const value of outcome.values.values()) assert.equal(value, "student says hi");
  assert.deepEqual(errorNames(outcome.errors), new Map([[hanging.id, "TimeoutError"], [bare.id, "RemoteError"], [nidOf(nowhere), "UnreachableError"]]), "the failures, by node id");
});

test("a group-wide call reaches its members in parallel", async (t) => {
  const caller = (await pool.all())[0] as Remote;
  const members = await Promise.all([referenceNode(t), referenceNode(t), referenceNode(t)]);
  let arrived = 0;
  let open: () => void = () => {};
  const everyone = new Promise<void>((resolve) => (open = resolve));
  t.after(() => open());
  // Each member answers only once every member has been called.
  const meet = async () => {
    if (++arrived === members.length) open();
    await everyone;
    return arrived;
  };
  await Promise.all(members.map((member) => member.routes.put({ meet }, "bb-barrier")));
  await caller.setView("bb-parallel", members);
  const outcome: GroupOutcome<number> = await caller.call([["group", ["bb-parallel"]], ["comm"], ["send", [[], { service: "bb-barrier", method: "meet" }, { timeoutMs: 10_000 }]]]);
  assert.deepEqual(errorNames(outcome.errors), new Map(), "members that timed out waiting for the others to be called");
  assert.deepEqual([...outcome.values.values()], [3, 3, 3]);
});

test("a group-wide call goes to the members of the caller's view only, whatever the other nodes' views of the group", async () => {
  const nodes = await pool.all();
  const gid = "bb-own-view";
  const [first, second] = nodes as [Remote, Remote];
  await first.setView(gid, [first, second]);
  await second.setView(gid, nodes);
  const fromFirst: GroupOutcome<string> = await first.call([["group", [gid]], ["status"], ["get", ["nid"]]]);
  assert.deepEqual(keysOf(fromFirst.values), nids([first, second]), "the first node's view has two members");
  const fromSecond: GroupOutcome<string> = await second.call([["group", [gid]], ["status"], ["get", ["nid"]]]);
  assert.deepEqual(keysOf(fromSecond.values), nids(nodes), "the second node's view has all five");
  assert.equal(await (nodes[2] as Remote).view(gid), undefined, "a node whose view was never set has none");
});

test("with an empty view every group-wide call gives two empty maps and sends nothing", async () => {
  const node = (await pool.all())[2] as Remote;
  const gid = "bb-empty";
  await node.setView(gid, []);
  const before = await node.sent();
  const calls: Array<[string, Step[]]> = [
    ["comm.send", [["comm"], ["send", [[], { service: "status", method: "get" }]]]],
    ["status.get", [["status"], ["get", ["nid"]]]],
    ["routes.put", [["routes"], ["put", [{ nothing: () => 0 }, "bb-nothing"]]]],
    ["routes.rem", [["routes"], ["rem", ["bb-nothing"]]]],
    ["groups.put", [["groups"], ["put", ["bb-else", [node.address]]]]],
    ["groups.add", [["groups"], ["add", ["bb-else", node.address]]]],
    ["groups.rem", [["groups"], ["rem", ["bb-else", node.address]]]],
    ["groups.del", [["groups"], ["del", ["bb-else"]]]],
  ];
  for (const [name, steps] of calls) {
    const outcome: GroupOutcome<unknown> = await node.call([["group", [gid]], ...steps]);
    assert.equal(outcome.values.size, 0, `${name}: values`);
    assert.equal(outcome.errors.size, 0, `${name}: errors`);
  }
  const sum: GroupStatus = await node.call([["group", [gid]], ["status"], ["sum", []]]);
  assert.deepEqual({ nodes: sum.nodes, counts: sum.counts, heapTotal: sum.heapTotal, heapUsed: sum.heapUsed, errors: sum.errors.size }, { nodes: 0, counts: { received: 0, sent: 0 }, heapTotal: 0, heapUsed: 0, errors: 0 }, "status.sum");
  assert.equal(await node.sent(), before, "calls sent");
});

test("status.get gives each member's field, and status.sum adds up the counts and memory of those that answered and names those that did not", async (t) => {
  const nodes = await pool.all();
  const caller = nodes[0] as Remote;
  const students = nodes.slice(1, 3);
  const reference = await referenceNode(t);
  const nowhere = await freeAddress();
  const gid = "bb-status";
  await caller.call([["groups"], ["put", [gid, [...students.map((node) => node.address), reference.address, nowhere]]]]);
  const ports: GroupOutcome<number> = await caller.call([["group", [gid]], ["status"], ["get", ["port"]]]);
  assert.deepEqual(new Map(ports.values), new Map([...students.map((node) => [node.nid, node.address.port] as const), [reference.id, reference.address.port] as const]), "status.get(\"port\") by node id");
  assert.deepEqual(errorNames(ports.errors), new Map([[nidOf(nowhere), "UnreachableError"]]), "status.get's failures");

  type Counts = { received: number; sent: number };
  const countsOf = async (): Promise<Counts[]> => [
    ...(await Promise.all(students.map((node) => node.call([["status"], ["get", ["counts"]]]) as Promise<Counts>))),
    await reference.status.get("counts"),
  ];
  const add = (all: Counts[]) => all.reduce((sum, counts) => ({ received: sum.received + counts.received, sent: sum.sent + counts.sent }), { received: 0, sent: 0 });
  const before = add(await countsOf());
  const sum: GroupStatus = await caller.call([["group", [gid]], ["status"], ["sum", []]]);
  const afterwards = add(await countsOf());
  assert.equal(sum.nodes, 3, "how many answered");
  assert.deepEqual(errorNames(sum.errors), new Map([[nidOf(nowhere), "UnreachableError"]]), "who did not answer");
  for (const field of ["received", "sent"] as const) {
    assert.ok(sum.counts[field] >= before[field] && sum.counts[field] <= afterwards[field], `counts.${field}: ${sum.counts[field]} is not the members' sum, between ${before[field]} and ${afterwards[field]}`);
  }
  const heaps: GroupOutcome<number> = await caller.call([["group", [gid]], ["status"], ["get", ["heapTotal"]]]);
  const heapTotal = [...heaps.values.values()].reduce((total, heap) => total + heap, 0);
  assert.ok(sum.heapUsed > 0, `heapUsed ${sum.heapUsed} is not three members' memory`);
  assert.ok(Math.abs(sum.heapTotal - heapTotal) <= 0.5 * heapTotal, `heapTotal summed to ${sum.heapTotal}, the members report ${heapTotal} in all`);
});

test("routes.put registers a service on every member, its methods travelling as source, and routes.rem says which members had it", async () => {
  const nodes = await pool.all();
  const caller = nodes[0] as Remote;
  const members = nodes.slice(1, 4);
  const gid = "bb-routes";
  await caller.setView(gid, members);
  const service = { twice: (x: number) => x * 2, greet: (name: string) => `hello ${name}` };
  const put: GroupOutcome<void> = await caller.call([["group", [gid]], ["routes"], ["put", [service, "bb-twice"]]]);
  assert.deepEqual(keysOf(put.values), nids(members), "routes.put's values");
  assert.equal(put.errors.size, 0, "routes.put's errors");
  const comm = (await client()).comm;
  for (const member of members) {
    assert.equal(await comm.send([21], { node: member.address, service: "bb-twice", method: "twice" }), 42, `twice on ${member.short}`);
    assert.equal(await comm.send(["kit"], { node: member.address, service: "bb-twice", method: "greet" }), "hello kit", `greet on ${member.short}`);
  }
  const last = members[2] as Remote;
  assert.equal(await last.call([["routes"], ["rem", ["bb-twice"]], ["greet", ["kit"]]]), "hello kit", "milestone 2's routes.rem gives the service back");
  const rem: GroupOutcome<boolean> = await caller.call([["group", [gid]], ["routes"], ["rem", ["bb-twice"]]]);
  assert.deepEqual(new Map(rem.values), new Map(members.map((member) => [member.nid, member !== last])), "which members had the service");
  for (const member of members) {
    const outcome = await settle(comm.send([1], { node: member.address, service: "bb-twice", method: "twice" }));
    assert.ok(!outcome.ok && (outcome.error as Error).name === "RemoteError", `${member.short} still serves the removed service`);
  }
});

test("comm.send reaches a service of another group when remote.gid names it", async () => {
  const nodes = await pool.all();
  const caller = nodes[0] as Remote;
  const members = nodes.slice(1, 3);
  await caller.setView("bb-gid", members);
  await Promise.all(members.map((member) => member.call([["routes"], ["put", [{ tag: () => "in bb-services" }, "bb-tagged", { gid: "bb-services" }]]])));
  const named: GroupOutcome<string> = await caller.call([["group", ["bb-gid"]], ["comm"], ["send", [[], { service: "bb-tagged", method: "tag", gid: "bb-services" }]]]);
  assert.deepEqual(new Map(named.values), new Map(members.map((member) => [member.nid, "in bb-services"])), "with remote.gid");
  const unnamed: GroupOutcome<string> = await caller.call([["group", ["bb-gid"]], ["comm"], ["send", [[], { service: "bb-tagged", method: "tag" }]]]);
  assert.deepEqual(errorNames(unnamed.errors), new Map(members.map((member) => [member.nid, "RemoteError"])), "without it, the service is not in the local group");
});

test("groups.put, add, rem and del called on a group change the view on every member, reference nodes' included, and a reference node's group-wide calls change the nodes' views", async (t) => {
  const nodes = await pool.all();
  const caller = nodes[0] as Remote;
  const students = nodes.slice(1, 3);
  const reference = await m3.startNode({ callTimeoutMs: 60_000 });
  t.after(() => reference.stop());
  await caller.call([["groups"], ["put", ["bb-admin", [...students.map((node) => node.address), reference.address]]]]);
  const target = nodes.slice(2, 5).map((node) => node.address);
  const viewsOf = async (gid: string) => [...(await Promise.all(students.map((node) => node.view(gid)))), await reference.groups.get(gid)].map(membersText);
  const everywhere = (members: NodeAddress[] | undefined) => [membersText(members), membersText(members), membersText(members)];
  const groupCall = async (method: string, ...args: unknown[]) => {
    const outcome: GroupOutcome<void> = await caller.call([["group", ["bb-admin"]], ["groups"], [method, args]]);
    assert.equal(outcome.values.size, 3, `groups.${method}: values`);
    assert.deepEqual(errorNames(outcome.errors), new Map(), `groups.${method}: errors`);
  };
  await groupCall("put", "bb-target", target);
  assert.deepEqual(await viewsOf("bb-target"), everywhere(target), "the views after groups.put");
  await groupCall("add", "bb-target", caller.address);
  assert.deepEqual(await viewsOf("bb-target"), everywhere([...target, caller.address]), "the views after groups.add");
  await groupCall("rem", "bb-target", target[0]);
  assert.deepEqual(await viewsOf("bb-target"), everywhere([...target.slice(1), caller.address]), "the views after groups.rem");
  await groupCall("del", "bb-target");
  assert.deepEqual(await viewsOf("bb-target"), everywhere(undefined), "the views after groups.del");

  await reference.groups.put("bb-from-reference", students.map((node) => node.address));
  const outcome = await reference.group("bb-from-reference").groups.put("bb-set-by-reference", target);
  assert.deepEqual(errorNames(outcome.errors), new Map(), "the reference node's groups.put on the nodes under test");
  for (const node of students) assert.deepEqual(membersText(await node.view("bb-set-by-reference")), membersText(target), `${node.short}'s view, set by a reference node`);
});

// ---------------------------------------------------------------------------
// handouts/m3.md#gossip

/** A rumor's fields as a handler got them. */
const rumorOf = (entry: unknown[]): Rumor => entry[1] as Rumor;

test("each member's handlers get each rumor once, the spreader's own included, with its id, group, topic and origin", async () => {
  const nodes = await pool.all();
  const gid = "bb-once";
  await setViews(nodes, gid, nodes);
  await listen(nodes, "bb-news");
  const spreaders = [nodes[0], nodes[2], nodes[4]] as Remote[];
  const values: unknown[] = ["plain text", { nested: [1, { deep: true }] }, new Map([["k", new Date(1_700_000_000_000)]])];
  const ids: string[] = await Promise.all(spreaders.map((node, i) => node.call([["gossip"], ["spread", [gid, "bb-news", values[i]]]])));
  assert.equal(new Set(ids).size, 3, `spread returned ids that are not unique: ${JSON.stringify(ids)}`);
  await untilLogged(nodes, "bb-news", 3, "rumors heard");
  await quiet(nodes, silenceMs);
  for (const node of nodes) {
    const heard = await node.log("bb-news");
    assert.deepEqual(heard.map((entry) => rumorOf(entry).id).sort(), [...ids].sort(), `${node.short} got each rumor once`);
    for (const entry of heard) {
      const i = ids.indexOf(rumorOf(entry).id);
      const { id, gid: group, topic, origin } = rumorOf(entry);
      assert.deepEqual({ id, gid: group, topic, origin }, { id: ids[i], gid, topic: "bb-news", origin: (spreaders[i] as Remote).nid }, `${node.short}: the rumor's fields`);
      assert.deepEqual(entry[0], values[i], `${node.short}: the rumor's value`);
    }
  }
});

test("a rumor reaches only the members of the group, and each handler gets only the rumors of its topic", async () => {
  const nodes = await pool.all();
  const gid = "bb-scoped";
  const members = nodes.slice(0, 4);
  const outsider = nodes[4] as Remote;
  await setViews(members, gid, members);
  await outsider.setView(gid, nodes);
  await listen(nodes, "bb-scoped-topic");
  await listen(nodes, "bb-other-topic");
  await (nodes[1] as Remote).call([["gossip"], ["spread", [gid, "bb-scoped-topic", "for members"]]]);
  await untilLogged(members, "bb-scoped-topic", 1, "the rumor among the members");
  await quiet(nodes, silenceMs);
  assert.deepEqual(await outsider.log("bb-scoped-topic"), [], "a node outside the members' views heard the rumor");
  for (const node of nodes) assert.deepEqual(await node.log("bb-other-topic"), [], `${node.short}: a handler of another topic was called`);
});

test("with the defaults a node that learns a rumor pushes it to ⌈ln n⌉ members each round for ⌈log2 n⌉ + 1 rounds, the spreader at once besides", withSeed(async (random) => {
  const nodes = await pool.all();
  const gid = "bb-defaults";
  await setViews(nodes, gid, nodes);
  await listen(nodes, "bb-counted");
  const before = await quiet(nodes, silenceMs);
  const spreader = random.pick(nodes);
  await spreader.call([["gossip"], ["spread", [gid, "bb-counted", "count me"]]]);
  await untilLogged(nodes, "bb-counted", 1, "the rumor");
  const sent = sentSince(before, await quiet(nodes, silenceMs));
  const [fanout, rounds] = [fanoutFor(5), roundsFor(5)];
  const expected = new Map<string, number | [number, number]>(nodes.map((node) => [node.nid, node === spreader ? [fanout * rounds, fanout * (rounds + 1)] : fanout * rounds]));
  assertCalls(sent, expected, nodes, `one rumor in a group of 5 (fanout ${fanout}, ${rounds} rounds)`);
}));

test("each round a node sends all the rumors of a group it is still pushing in one message per chosen member", async () => {
  const nodes = (await pool.all()).slice(0, 4);
  const gid = "bb-together";
  await setViews(nodes, gid, nodes);
  await listen(nodes, "bb-many");
  const before = await quiet(nodes, silenceMs);
  const count = 8;
  const spreader = nodes[0] as Remote;
  await Promise.all(Array.from({ length: count }, (_, i) => spreader.call([["gossip"], ["spread", [gid, "bb-many", i]]])));
  await untilLogged(nodes, "bb-many", count, "the rumors");
  const sent = sentSince(before, await quiet(nodes, silenceMs));
  const [fanout, rounds] = [fanoutFor(4), roundsFor(4)];
  // Rumor by rumor, each other node would send count · fanout · rounds (48); together, a few rounds' worth.
  const bound = fanout * (rounds + 4);
  const expected = new Map<string, number | [number, number]>(nodes.map((node) => [node.nid, node === spreader ? [fanout, count * fanout + bound] : [fanout, bound]]));
  assertCalls(sent, expected, nodes, `${count} rumors spread at once in a group of 4`);
});

test("the options fanout and rounds set how many members a node pushes a rumor to each round, and for how many rounds", async () => {
  const others = (await pool.all()).slice(0, 4);
  const tuned = await pool.slot(4, { gossip: { fanout: 3, rounds: 1, roundMs: 150 } });
  const nodes = [...others, tuned];
  const gid = "bb-options";
  await setViews(nodes, gid, nodes);
  await listen(nodes, "bb-tuned");
  const [fanout, rounds] = [fanoutFor(5), roundsFor(5)];
  let before = await quiet(nodes, silenceMs);
  for (const spreader of [others[0] as Remote, tuned]) {
    await spreader.call([["gossip"], ["spread", [gid, "bb-tuned", spreader.short]]]);
    await untilLogged(nodes, "bb-tuned", spreader === tuned ? 2 : 1, "the rumor");
    const counts = await quiet(nodes, silenceMs);
    const sent = sentSince(before, counts);
    before = counts;
    const expected = new Map<string, number | [number, number]>(nodes.map((node) => {
      const [f, r] = node === tuned ? [3, 1] : [fanout, rounds];
      return [node.nid, node === spreader ? [f * r, f * (r + 1)] : f * r];
    }));
    assertCalls(sent, expected, nodes, `a rumor spread by ${spreader === tuned ? "the node with fanout 3 and 1 round" : "a node with the defaults"}`);
  }
});

test("a handler that throws stops neither the node's other handlers nor the rumor", async () => {
  const nodes = await pool.all();
  const gid = "bb-throws";
  await setViews(nodes, gid, nodes);
  const fails = () => {
    throw new Error("bb: this handler fails on purpose");
  };
  await Promise.all(nodes.map((node) => node.call([["gossip"], ["on", ["bb-risky", fails]], keepIt])));
  await listen(nodes, "bb-risky");
  await Promise.all(nodes.map((node) => node.call([["gossip"], ["on", ["bb-risky", fails]], keepIt])));
  const before = await quiet(nodes, silenceMs);
  const spreader = nodes[3] as Remote;
  await spreader.call([["gossip"], ["spread", [gid, "bb-risky", "still here"]]]);
  await untilLogged(nodes, "bb-risky", 1, "the rumor past throwing handlers");
  const sent = sentSince(before, await quiet(nodes, silenceMs));
  const [fanout, rounds] = [fanoutFor(5), roundsFor(5)];
  const expected = new Map<string, number | [number, number]>(nodes.map((node) => [node.nid, node === spreader ? [fanout * rounds, fanout * (rounds + 1)] : fanout * rounds]));
  assertCalls(sent, expected, nodes, "each node still pushes the rumor");
  for (const node of nodes) assert.equal((await node.log("bb-risky")).length, 1, `${node.short} got the rumor once`);
});

test("on() returns a function that stops the handler, and the node's other handlers go on", async () => {
  const nodes = await pool.all();
  const gid = "bb-cancel";
  await setViews(nodes, gid, nodes);
  await Promise.all(nodes.map((node) => node.call([["gossip"], ["on", ["bb-cancelled", recorder("bb-cancelled stopped")]], cancelIt])));
  await listen(nodes, "bb-cancelled", "bb-cancelled kept");
  await (nodes[1] as Remote).call([["gossip"], ["spread", [gid, "bb-cancelled", 1]]]);
  await untilLogged(nodes, "bb-cancelled kept", 1, "the handler that was kept");
  await quiet(nodes, silenceMs);
  for (const node of nodes) assert.deepEqual(await node.log("bb-cancelled stopped"), [], `${node.short}: a stopped handler was called`);
});

test("a rumor in a group of one reaches its spreader and sends no message", async () => {
  const node = (await pool.all())[3] as Remote;
  await node.setView("bb-alone", [node]);
  await listen([node], "bb-alone-topic");
  const before = await quiet([node], silenceMs);
  const id: string = await node.call([["gossip"], ["spread", ["bb-alone", "bb-alone-topic", "to myself"]]]);
  await untilLogged([node], "bb-alone-topic", 1, "the rumor");
  assert.equal(rumorOf((await node.log("bb-alone-topic"))[0] as unknown[]).id, id, "the rumor's id");
  assert.deepEqual(sentSince(before, await quiet([node], silenceMs)), new Map([[node.nid, 0]]), "calls sent");
});

test("gossip.at calls its function again and again, goes on after a call that throws, and never once cancelled", async () => {
  const node = (await pool.all())[2] as Remote;
  // The functions travel as source and run in the node: they print what the test then reads in the node's output.
  const ticks = () => {
    const state = globalThis as { bbTicks?: number };
    state.bbTicks = (state.bbTicks ?? 0) + 1;
    if (state.bbTicks > 5) return;
    console.error(`bb-at tick ${state.bbTicks}`);
    throw new Error("bb: this timer function fails on purpose");
  };
  const cancelled = () => console.error("bb-at cancelled tick");
  await node.call([["gossip"], ["at", [100, cancelled]], cancelIt]);
  await node.call([["gossip"], ["at", [200, ticks]], keepIt]);
  const all = await eventually(() => node.process.output().includes("bb-at tick 5"), waitLimitMs, 50);
  assert.ok(all, `the function did not run five times, each throwing:\n${node.process.output().slice(-2000)}`);
  assert.ok(!node.process.output().includes("bb-at cancelled tick"), "a cancelled function ran");
});

// ---------------------------------------------------------------------------
// handouts/m3.md#broadcast

/** Waits until each node holds `count` values of `gid`; what each holds then. */
async function untilHeld(nodes: readonly Remote[], gid: string, count: number, what: string): Promise<Map<Remote, unknown[]>> {
  const held = new Map<Remote, unknown[]>();
  const done = await eventually(async () => {
    for (const node of nodes) held.set(node, await node.call([["broadcast"], ["values", [gid]]]));
    return [...held.values()].every((values) => values.length >= count);
  }, waitLimitMs, 50);
  assert.ok(done, `${what}: expected ${count} values on every node, got ${JSON.stringify([...held.values()].map((values) => values.length))}`);
  return held;
}

const sortedText = (values: readonly unknown[]): string[] => values.map((value) => JSON.stringify(value)).sort();

test("every member gets each broadcast value once, values(gid) lists them in the order learned with each group apart, and on() is called once per value until stopped", async () => {
  const nodes = await pool.all();
  const [gid, apart] = ["bb-b-all", "bb-b-apart"];
  await setViews(nodes, gid, nodes);
  await setViews(nodes, apart, nodes);
  await Promise.all(nodes.map(async (node) => {
    await node.call([["broadcast"], ["on", [gid, recorder("bb-b-all")]], keepIt]);
    await node.call([["broadcast"], ["on", [gid, recorder("bb-b-stopped")]], cancelIt]);
  }));
  const senders = [nodes[0], nodes[1], nodes[3]] as Remote[];
  const sent = senders.flatMap((node, i) => [{ from: i, n: 1 }, { from: i, n: 2, tags: ["x", "y"] }]);
  await Promise.all(senders.map(async (node, i) => {
    for (const value of sent.filter((value) => value.from === i)) await node.call([["broadcast"], ["send", [gid, value]]]);
  }));
  await (nodes[4] as Remote).call([["broadcast"], ["send", [apart, "another group"]]]);
  await untilHeld(nodes, gid, sent.length, "the values");
  await untilHeld(nodes, apart, 1, "the other group's value");
  await quiet(nodes, silenceMs);
  for (const node of nodes) {
    const held: unknown[] = await node.call([["broadcast"], ["values", [gid]]]);
    assert.deepEqual(sortedText(held), sortedText(sent), `${node.short} holds each value once`);
    assert.deepEqual((await node.log("bb-b-all")).map((args) => args[0]), held, `${node.short}: on() got each value once, in the order values() lists`);
    assert.deepEqual(await node.log("bb-b-stopped"), [], `${node.short}: a stopped handler was called`);
    assert.deepEqual(await node.call([["broadcast"], ["values", [apart]]]), ["another group"], `${node.short}: the other group's values`);
  }
});

test("a value sent alone travels in n − 1 calls, two hops: to the sender's row and one member of each other row, which pass it along their rows", async () => {
  const nodes = await pool.all();
  const gid = "bb-b-layout";
  await setViews(nodes, gid, nodes);
  const rows = layout(nids(nodes));
  // One sender whose column the short last row lacks, and one in the last row.
  const senders = [(rows[0] as string[])[2], (rows[1] as string[])[1]].map((nid) => nodes.find((node) => node.nid === nid) as Remote);
  let before = await quiet(nodes, silenceMs);
  for (const [i, sender] of senders.entries()) {
    await sender.call([["broadcast"], ["send", [gid, { alone: i }]]]);
    await untilHeld(nodes, gid, i + 1, "the value");
    const counts = await quiet(nodes, silenceMs);
    const sent = sentSince(before, counts);
    before = counts;
    assertCalls(sent, broadcastCalls(nids(nodes), sender.nid), nodes, `a value sent by ${sender.short} (rows ${JSON.stringify(rows.map((row) => row.map((nid) => nid.slice(0, 5))))})`);
  }
});

test("values a member sends within one batch travel together: one call per peer carries all of them", async () => {
  const nodes = await pool.all();
  const gid = "bb-b-batch";
  await setViews(nodes, gid, nodes);
  const sender = nodes[1] as Remote;
  const values = Array.from({ length: 8 }, (_, i) => ({ batched: i }));
  const before = await quiet(nodes, silenceMs);
  await Promise.all(values.map((value) => sender.call([["broadcast"], ["send", [gid, value]]])));
  const held = await untilHeld(nodes, gid, values.length, "the values");
  const sent = sentSince(before, await quiet(nodes, silenceMs));
  assertCalls(sent, broadcastCalls(nids(nodes), sender.nid), nodes, `${values.length} values sent at once by ${sender.short}`);
  for (const [node, list] of held) assert.deepEqual(sortedText(list), sortedText(values), `${node.short}'s values`);
});

test("values for a member that cannot be reached go again with the next batch, so it gets them once it is back", async () => {
  let nodes = await pool.all();
  const gid = "bb-b-down";
  await setViews(nodes, gid, nodes);
  const down = nodes[4] as Remote;
  const row = layout(nids(nodes)).find((members) => members.includes(down.nid)) as string[];
  const sender = nodes.find((node) => node !== down && row.includes(node.nid)) as Remote;
  await pool.crash(4);
  const values = [{ missed: 1 }, { missed: 2 }, { missed: 3 }];
  for (const value of values) await sender.call([["broadcast"], ["send", [gid, value]]]);
  const living = nodes.filter((node) => node !== down);
  await untilHeld(living, gid, values.length, "the values on the members that are up");
  // Several batches fail meanwhile: the member is down for at least the time of a restart.
  const back = await pool.slot(4);
  await back.setView(gid, nodes);
  nodes = [...living, back];
  await untilHeld([back], gid, values.length, "the values on the member that came back");
  await quiet(nodes, silenceMs);
  assert.deepEqual(sortedText(await back.call([["broadcast"], ["values", [gid]]])), sortedText(values), "the member that came back holds each value once");
});

// ---------------------------------------------------------------------------
// handouts/m3.md#membership

/**
 * Starts failure detection of `gid` on each of `watchers`, their views set
 * to `members`, with a recorder of `on()` first; unwatches when `t` ends.
 */
async function watch(t: { after(fn: () => unknown): void }, watchers: readonly Remote[], gid: string, options: Api.MembershipOptions, members: readonly Remote[] = watchers): Promise<void> {
  t.after(() => Promise.all(watchers.map((node) => settle(node.call([["membership"], ["unwatch", [gid]]], 10_000)))));
  await setViews(watchers, gid, members);
  await Promise.all(watchers.map((node) => node.call([["membership"], ["on", [recorder(`changes ${gid}`)]], keepIt])));
  await Promise.all(watchers.map((node) => node.call([["membership"], ["watch", [gid, options]]])));
}

/** Waits until each of `observers` holds `target` in a state that `holds` accepts; their views of it then. */
async function untilState(observers: readonly Remote[], gid: string, target: Remote, holds: (view: MemberView | undefined) => boolean, what: string): Promise<MemberView[]> {
  const seen = new Map<string, MemberView | undefined>();
  const done = await eventually(async () => {
    for (const node of observers) seen.set(node.short, (await node.members(gid)).get(target.nid));
    return [...seen.values()].every(holds);
  }, waitLimitMs, 100);
  assert.ok(done, `${what}: ${target.short} as each member holds it: ${JSON.stringify(Object.fromEntries(seen))}`);
  return [...seen.values()] as MemberView[];
}

/** The changes of mind about `target` that a node's `on()` reported for `gid`. */
async function changesAbout(node: Remote, gid: string, target: Remote): Promise<MemberView[]> {
  return (await node.log(`changes ${gid}`)).filter(([group, nid]) => group === gid && nid === target.nid).map((args) => args[2] as MemberView);
}

const alive = (view: MemberView | undefined) => view?.state === "alive";

test("a watching member's view lists every member of the group, itself included, by node id, all alive while nothing fails", async (t) => {
  const members = (await pool.all()).slice(0, 4);
  const gid = "bb-m-view";
  await watch(t, members, gid, { periodMs });
  // Probing goes on for a few periods: each member sends calls.
  const before = await sentCounts(members);
  const probing = await eventually(async () => [...sentSince(before, await sentCounts(members)).values()].every((count) => count >= 2 * (members.length - 1)), waitLimitMs, 100);
  assert.ok(probing, "the members do not probe one another");
  // A member slowed down by a loaded machine may be suspected for a moment: each view must come back to all alive.
  for (const node of members) {
    let view = new Map<string, MemberView>();
    const allAlive = await eventually(async () => {
      view = await node.members(gid);
      return [...view.values()].every((seen) => seen.state === "alive");
    }, waitLimitMs, 100);
    assert.deepEqual(keysOf(view), nids(members), `${node.short}'s view lists the members by node id`);
    assert.ok(allAlive, `${node.short} does not hold every member alive: ${JSON.stringify([...view.values()])}`);
    for (const member of members) {
      const seen = view.get(member.nid) as MemberView;
      assert.deepEqual({ address: seen.address, state: seen.state, incarnation: typeof seen.incarnation }, { address: member.address, state: "alive", incarnation: "number" }, `${node.short}'s view of ${member.short}`);
    }
  }
});

test("a crashed member is declared dead by every live member, suspected first, and on() reports each change of mind with the new view", async (t) => {
  const members = (await pool.all()).slice(0, 4);
  const [living, crashed] = [members.slice(0, 3), members[3] as Remote];
  const gid = "bb-m-crash";
  await watch(t, members, gid, { periodMs, suspicionMs: 4 * periodMs });
  await untilState(living, gid, crashed, alive, "before the crash");
  await pool.crash(3);
  await untilState(living, gid, crashed, (view) => view?.state === "dead", "after the crash");
  let suspected = false;
  for (const node of living) {
    const changes = await changesAbout(node, gid, crashed);
    const last = changes.at(-1);
    assert.deepEqual(last && { state: last.state, address: last.address }, { state: "dead", address: crashed.address }, `${node.short}: the last change on() reported about the crashed member`);
    const view = (await node.members(gid)).get(crashed.nid) as MemberView;
    assert.equal(last?.incarnation, view.incarnation, `${node.short}: on() reported the incarnation that the view holds`);
    const deadAt = changes.findIndex((change) => change.state === "dead");
    suspected ||= changes.slice(0, deadAt).some((change) => change.state === "suspect");
  }
  assert.ok(suspected, "no member reported the crashed member suspect before it was declared dead");
});

test("a member that stops answering for a while is suspected, then refutes: every member holds it alive with a higher incarnation, and none declared it dead", async (t) => {
  const members = (await pool.all()).slice(0, 4);
  const [others, frozen] = [members.slice(0, 3), members[3] as Remote];
  const gid = "bb-m-refute";
  // The member freezes whole (its event loop blocked) for a second at a time, through a service of the test's.
  const freeze = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  await frozen.call([["routes"], ["put", [{ freeze }, "bb-freeze"]]]);
  await watch(t, members, gid, { periodMs, suspicionMs: 60 * periodMs });
  const [first] = await untilState(others, gid, frozen, alive, "before the freeze");
  const comm = (await client()).comm;
  const suspicions = async () => (await Promise.all(others.map((node) => changesAbout(node, gid, frozen)))).flat().filter((change) => change.state === "suspect");
  for (let chunk = 0; chunk < 30 && (await suspicions()).length === 0; chunk++) {
    await comm.send([1000], { node: frozen.address, service: "bb-freeze", method: "freeze" });
  }
  const suspect = await suspicions();
  assert.ok(suspect.length > 0, "no member suspected a member that answered nothing for 30 s");
  const incarnation = Math.max((first as MemberView).incarnation, ...suspect.map((change) => change.incarnation));
  await untilState(others, gid, frozen, (view) => alive(view) && (view as MemberView).incarnation > incarnation, `alive with an incarnation above ${incarnation}`);
  for (const node of others) {
    const dead = (await changesAbout(node, gid, frozen)).filter((change) => change.state === "dead");
    assert.deepEqual(dead, [], `${node.short} declared the member dead`);
  }
});

test("a member declared dead that restarts at its address and watches again comes back alive, with a higher incarnation", async (t) => {
  const members = (await pool.all()).slice(0, 4);
  const living = members.slice(0, 3);
  const crashed = members[3] as Remote;
  const gid = "bb-m-restart";
  const options = { periodMs, suspicionMs: 4 * periodMs };
  await watch(t, members, gid, options);
  await untilState(living, gid, crashed, alive, "before the crash");
  await pool.crash(3);
  const dead = await untilState(living, gid, crashed, (view) => view?.state === "dead", "after the crash");
  const restarted = await pool.slot(3);
  await watch(t, [restarted], gid, options, members);
  const incarnation = Math.max(...dead.map((view) => view.incarnation));
  await untilState(living, gid, restarted, (view) => alive(view) && (view as MemberView).incarnation > incarnation, `alive again with an incarnation above ${incarnation}`);
});

test("unwatch stops probing: once every member has unwatched the group, no member sends anything", async (t) => {
  const members = (await pool.all()).slice(0, 4);
  const gid = "bb-m-unwatch";
  await watch(t, members, gid, { periodMs });
  const before = await sentCounts(members);
  const probing = await eventually(async () => [...sentSince(before, await sentCounts(members)).values()].every((count) => count >= 2), waitLimitMs, 100);
  assert.ok(probing, "the members do not probe one another");
  await Promise.all(members.map((node) => node.call([["membership"], ["unwatch", [gid]]])));
  await quiet(members, 3 * periodMs);
});
