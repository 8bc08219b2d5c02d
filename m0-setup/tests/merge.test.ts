import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { m0, temporaryFolder } from "./_helpers.ts";

const a = { url: "https://example.org/a.html", counts: new Map([["vacuum", 2], ["full", 1]]) };
const b = { url: "https://example.org/b.html", counts: new Map([["vacuum", 1], ["analyze", 3]]) };

test("merge() writes an index that readIndex() reads back", async (t) => {
  const folder = await temporaryFolder(t);
  await m0.merge(folder, [a, b]);
  const index = await m0.readIndex(folder);
  assert.deepEqual(Object.fromEntries(index.documents), { [a.url]: 3, [b.url]: 4 });
  assert.deepEqual(Object.fromEntries(index.terms.get("vacuum") ?? []), { [a.url]: 2, [b.url]: 1 });
  assert.deepEqual(Object.fromEntries(index.terms.get("analyze") ?? []), { [b.url]: 3 });
  assert.equal(index.terms.size, 3);
});

test("merge() adds documents to an existing index", async (t) => {
  const folder = await temporaryFolder(t);
  await m0.merge(folder, [a]);
  await m0.merge(folder, [b]);
  const index = await m0.readIndex(folder);
  assert.deepEqual([...index.documents.keys()].sort(), [a.url, b.url]);
  assert.deepEqual(Object.fromEntries(index.terms.get("vacuum") ?? []), { [a.url]: 2, [b.url]: 1 });
});

test("merge() creates the index folder when it does not exist", async (t) => {
  const folder = join(await temporaryFolder(t), "new", "index");
  await m0.merge(folder, [a]);
  assert.equal((await m0.readIndex(folder)).documents.size, 1);
});

test("readIndex() rejects a folder that holds no index", async (t) => {
  const folder = await temporaryFolder(t);
  await assert.rejects(m0.readIndex(folder), (error: Error) => error.name !== "NotImplemented");
});
