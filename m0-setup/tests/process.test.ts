import assert from "node:assert/strict";
import { test } from "node:test";
import { m0 } from "./_helpers.ts";

test("process() lowercases words", () => {
  assert.deepEqual(m0.process("Vacuum VACUUM vacuum"), ["vacuum", "vacuum", "vacuum"]);
});

test("process() splits on whitespace and punctuation", () => {
  assert.deepEqual(m0.process("write-ahead log,\tcheckpoints;\nWAL (pg_wal)"), [
    "write", "ahead", "log", "checkpoints", "wal", "pg", "wal",
  ]);
});

test("process() keeps digits as words", () => {
  assert.deepEqual(m0.process("PostgreSQL 15 uses UTF8"), ["postgresql", "15", "uses", "utf8"]);
});

test("process() drops stopwords", () => {
  assert.deepEqual(m0.process("The table is locked by the vacuum of a database"), ["table", "locked", "vacuum", "database"]);
});

test("process() of text without words is empty", () => {
  assert.deepEqual(m0.process(" -- ... !? "), []);
});
