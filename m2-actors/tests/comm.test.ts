import assert from "node:assert/strict";
import { test } from "node:test";
import { RemoteError, TimeoutError, UnreachableError } from "../../autograder/kit/errors.ts";
import { at, m2, nodes } from "./_nodes.ts";

test("comm calls a method on another node and returns its result", async (t) => {
  const [a, b] = await nodes(t, 2);
  await b?.routes.put({ add: (x: number, y: number) => x + y, today: () => new Date(0) }, "math");
  assert.equal(await a?.comm.send([2, 3], at(b!, "math", "add")), 5);
  assert.ok((await a?.comm.send([], at(b!, "math", "today"))) instanceof Date);
});

test("an error thrown remotely comes back as a RemoteError with the remote error as cause", async (t) => {
  const [a, b] = await nodes(t, 2);
  await b?.routes.put({ fail: () => { throw new RangeError("out of range"); } }, "faulty");
  const error = await a!.comm.send([], at(b!, "faulty", "fail")).catch((e: unknown) => e);
  assert.ok(error instanceof RemoteError);
  assert.ok(error.cause instanceof RangeError);
  assert.equal((error.cause as Error).message, "out of range");
});

test("calling a service or method that does not exist gives a RemoteError", async (t) => {
  const [a, b] = await nodes(t, 2);
  await assert.rejects(a!.comm.send([], at(b!, "nothing", "here")), RemoteError);
  await assert.rejects(a!.comm.send([], at(b!, "status", "nothing")), RemoteError);
});

test("a call to a node that is gone gives an UnreachableError", async (t) => {
  const [a] = await nodes(t, 1);
  const gone = await m2.startNode();
  await gone.stop();
  await assert.rejects(a!.comm.send([], at(gone, "status", "report")), UnreachableError);
});

test("a call that gets no answer in time gives a TimeoutError", async (t) => {
  const [a, b] = await nodes(t, 2);
  let release = () => {};
  t.after(() => release());
  await b?.routes.put({ hang: () => new Promise<void>((resolve) => (release = resolve)) }, "slow");
  await assert.rejects(a!.comm.send([], at(b!, "slow", "hang"), { timeoutMs: 100 }), TimeoutError);
});
