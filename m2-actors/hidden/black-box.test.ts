/**
 * Black-box tests: the node under test runs in a process of its own (as the
 * student's user on the autograder); this process loads only the reference,
 * whose node calls it through the network.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startStudentNode } from "../../autograder/harness/student-node.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as Api from "../api.ts";

const reference = await load<typeof Api>("m2", "reference");

test("status answers a remote caller with the node's id and address", async (t) => {
  const node = await startStudentNode(t, "m2");
  const client = await reference.startNode();
  t.after(() => client.stop());
  const report = (await client.comm.send([], { node: node.address, service: "status", method: "report" })) as Api.StatusReport;
  assert.equal(report.nid, reference.nodeId(node.address));
  assert.equal(report.port, node.address.port);
});
