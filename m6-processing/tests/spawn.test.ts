import assert from "node:assert/strict";
import { test } from "node:test";
import { startWeb } from "../../autograder/web/index.ts";
import { m6 } from "./_engine.ts";

test("spawnNode starts a node in a child process that crawls its share of a site", async (t) => {
  const server = await startWeb({ pages: 30, seed: 2 });
  const here = await m6.startNode();
  const child = await m6.spawnNode();
  t.after(async () => {
    await child.stop();
    await here.stop();
    await server.close();
  });
  await here.groups.put("web", [child.address]);
  const report = await here.engine("web").crawl(`${server.url}/`);
  assert.ok(report.pages > 0);
  assert.deepEqual([...report.fetched.keys()], [child.id]);
  const root = await here.store("web-crawl").get(`${server.url}/`);
  assert.equal(root.found && (root.value as { state: string }).state, "page");
  assert.equal(server.hits().get("/"), 1);
});
