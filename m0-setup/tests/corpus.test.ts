import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { corpusForTests } from "../../autograder/corpus/for-tests.ts";
import { m0, temporaryFolder } from "./_helpers.ts";

// The PostgreSQL 15 manual (npm run corpus -- get postgres): about 1,170 pages.
const postgres = await corpusForTests("postgres");

test("BM25 ranks sql-vacuum.html first for \"vacuum\" in the PostgreSQL manual", { skip: postgres.skip }, async (t) => {
  const folder = postgres.folder as string;
  const documents = readdirSync(folder)
    .filter((file) => file.endsWith(".html"))
    .map((file) => ({ url: file, counts: m0.invert(m0.process(m0.getText(readFileSync(join(folder, file), "utf8")))) }));
  const indexFolder = await temporaryFolder(t);
  await m0.merge(indexFolder, documents);
  const hits = m0.query(await m0.readIndex(indexFolder), m0.process("vacuum"), { limit: 3 });
  assert.deepEqual(hits.map((hit) => hit.url), ["sql-vacuum.html", "routine-vacuuming.html", "runtime-config-autovacuum.html"]);
});
