import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { withSeed } from "../../autograder/harness/seed.ts";
import type { Random } from "../../autograder/harness/random.ts";
import type { TermCounts } from "../api.ts";
import { m0, plain, temporaryFolder } from "../tests/_helpers.ts";

/** Random documents over a small vocabulary, so that they share terms. */
function randomDocuments(random: Random, count: number, prefix = "https://example.org/"): TermCounts[] {
  return Array.from({ length: count }, (_, i) => {
    const counts = new Map<string, number>();
    for (let t = random.int(1, 40); t > 0; t--) counts.set(`term${random.int(0, 150)}`, random.int(1, 9));
    return { url: `${prefix}${i}.html`, counts };
  });
}

/** The index that documents make, built here without merge. */
function expectedIndex(documents: TermCounts[]) {
  const index = { documents: new Map<string, number>(), terms: new Map<string, Map<string, number>>() };
  for (const { url, counts } of documents) {
    index.documents.set(url, [...counts.values()].reduce((sum, count) => sum + count, 0));
    for (const [term, count] of counts) {
      const postings = index.terms.get(term) ?? new Map<string, number>();
      postings.set(url, count);
      index.terms.set(term, postings);
    }
  }
  return plain(index);
}

test("merging A and then B leaves the same index as merging both at once", withSeed(async (random, t) => {
  const documents = randomDocuments(random, 300);
  const split = random.int(1, 299);
  const once = await temporaryFolder(t);
  const twice = await temporaryFolder(t);
  await m0.merge(once, documents);
  await m0.merge(twice, documents.slice(0, split));
  await m0.merge(twice, documents.slice(split));
  assert.deepEqual(plain(await m0.readIndex(twice)), plain(await m0.readIndex(once)));
  assert.deepEqual(plain(await m0.readIndex(once)), expectedIndex(documents));
}));

test("merging in many small batches leaves the same index as one merge", withSeed(async (random, t) => {
  const documents = randomDocuments(random, 60);
  const folder = await temporaryFolder(t);
  for (let i = 0; i < documents.length; i += 7) await m0.merge(folder, documents.slice(i, i + 7));
  assert.deepEqual(plain(await m0.readIndex(folder)), expectedIndex(documents));
}));

test("merge() replaces a document merged again under the same URL", async (t) => {
  const folder = await temporaryFolder(t);
  const url = "https://example.org/a.html";
  const other = { url: "https://example.org/b.html", counts: new Map([["vacuum", 1], ["old", 1]]) };
  await m0.merge(folder, [{ url, counts: new Map([["vacuum", 5], ["old", 2], ["gone", 1]]) }, other]);
  await m0.merge(folder, [{ url, counts: new Map([["vacuum", 1], ["new", 3]]) }]);
  assert.deepEqual(
    plain(await m0.readIndex(folder)),
    expectedIndex([other, { url, counts: new Map([["vacuum", 1], ["new", 3]]) }]),
  );
});

test("merge() keeps the last version of a URL given twice in one call", async (t) => {
  const folder = await temporaryFolder(t);
  const url = "https://example.org/a.html";
  await m0.merge(folder, [{ url, counts: new Map([["first", 1]]) }, { url, counts: new Map([["second", 2]]) }]);
  assert.deepEqual(plain(await m0.readIndex(folder)), expectedIndex([{ url, counts: new Map([["second", 2]]) }]));
});

test("merge() takes documents from an async iterable", async (t) => {
  const folder = await temporaryFolder(t);
  const documents = [
    { url: "https://example.org/a.html", counts: new Map([["vacuum", 1]]) },
    { url: "https://example.org/b.html", counts: new Map([["vacuum", 2]]) },
  ];
  async function* stream() {
    for (const document of documents) {
      await new Promise((resolve) => setImmediate(resolve));
      yield document;
    }
  }
  await m0.merge(folder, stream());
  assert.deepEqual(plain(await m0.readIndex(folder)), expectedIndex(documents));
});

test("merge() of no documents makes an empty index, or leaves one as it was", async (t) => {
  const folder = await temporaryFolder(t);
  await m0.merge(folder, []);
  assert.deepEqual(plain(await m0.readIndex(folder)), { documents: [], terms: [] });
  const documents = [{ url: "https://example.org/a.html", counts: new Map([["vacuum", 1]]) }];
  await m0.merge(folder, documents);
  await m0.merge(folder, []);
  assert.deepEqual(plain(await m0.readIndex(folder)), expectedIndex(documents));
});

test("merge() stores terms and URLs made of any characters", async (t) => {
  const folder = await temporaryFolder(t);
  const terms = ["__proto__", "constructor", "toString", 'quote"d', "back\\slash", "new\nline", "tab\tbed", "日本語", "a b c", "😀", "", "0", "-1"];
  const documents = [
    { url: "https://example.org/caf%C3%A9 page.html?q=1&r=2", counts: new Map(terms.map((term, i) => [term, i + 1])) },
    { url: "file:///srv/docs/naïve\nname.html", counts: new Map([["__proto__", 7], ["constructor", 1]]) },
  ];
  await m0.merge(folder, documents);
  assert.deepEqual(plain(await m0.readIndex(folder)), expectedIndex(documents));
});

test("a document's length is the sum of its counts", async (t) => {
  const folder = await temporaryFolder(t);
  await m0.merge(folder, [{ url: "https://example.org/a.html", counts: new Map([["a", 3], ["b", 2], ["a b", 1]]) }]);
  assert.equal((await m0.readIndex(folder)).documents.get("https://example.org/a.html"), 6);
});

test("readIndex() reads an index that another reader read before", async (t) => {
  const folder = await temporaryFolder(t);
  await m0.merge(folder, [{ url: "https://example.org/a.html", counts: new Map([["x", 1]]) }]);
  const first = await m0.readIndex(folder);
  first.terms.clear();
  first.documents.clear();
  assert.deepEqual(plain(await m0.readIndex(folder)), expectedIndex([{ url: "https://example.org/a.html", counts: new Map([["x", 1]]) }]));
});

test("merge() creates the index folder, and the folders above it, when they do not exist", async (t) => {
  const folder = join(await temporaryFolder(t), "not", "yet", "index");
  const documents = [{ url: "https://example.org/a.html", counts: new Map([["vacuum", 2]]) }];
  await m0.merge(folder, documents);
  assert.deepEqual(plain(await m0.readIndex(folder)), expectedIndex(documents));
});

test("readIndex() rejects a folder that does not exist, and one that holds only other files", async (t) => {
  const root = await temporaryFolder(t);
  const notStubbed = (error: Error) => error.name !== "NotImplemented";
  await assert.rejects(m0.readIndex(join(root, "missing")), notStubbed, "a folder that does not exist");
  await writeFile(join(root, "notes.txt"), "not an index\n");
  await assert.rejects(m0.readIndex(root), notStubbed, "a folder without an index");
});
