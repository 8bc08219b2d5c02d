import assert from "node:assert/strict";
import { test } from "node:test";
import { at, nodes } from "./_nodes.ts";

test("an RPC stub runs its function on its home node, wherever it is called", async (t) => {
  const [home, elsewhere] = await nodes(t, 2);
  const calls: number[] = [];
  const remember = home!.rpc.stub((x: number) => {
    calls.push(x);
    return calls.length;
  });
  await elsewhere?.routes.put({ callIt: (stub: (x: number) => Promise<number>, x: number) => stub(x) }, "caller");
  assert.equal(await home?.comm.send([remember, 7], at(elsewhere!, "caller", "callIt")), 1);
  assert.deepEqual(calls, [7]);
});
