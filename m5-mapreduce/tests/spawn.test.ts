import { test } from "node:test";
import assert from "node:assert/strict";
import { m5 } from "./_nodes.ts";

test("spawnNode starts a node in a child process that runs a job's map and reduce", async (t) => {
  const here = await m5.startNode();
  const child = await m5.spawnNode();
  t.after(async () => {
    await child.stop();
    await here.stop();
  });
  await here.groups.put("one", [child.address]);
  await here.group("one").groups.put("one", [child.address]);
  await here.store("one").put("k", "v");
  const result = await here.mr("one").exec({ map: (key: string, value: unknown): Array<[string, unknown]> => [[value as string, key]], reduce: (_key: string, values: unknown[]) => values });
  assert.deepEqual(await here.store(result.out).get("v"), { found: true, value: ["k"] });
});
