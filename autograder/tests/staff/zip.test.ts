import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { test } from "node:test";
import { crc32, readZip, writeZip } from "../../gradescope/zip.ts";

test("crc32 matches the standard check value", () => {
  assert.equal(crc32(Buffer.from("123456789")), 0xcbf43926);
});

test("an archive reads back with its names, bytes and executable bits", () => {
  const entries = [
    { name: "run_autograder", data: Buffer.from("#!/bin/sh\necho hi\n"), executable: true },
    { name: "folder/données.txt", data: Buffer.from("é".repeat(10_000)) },
    { name: "empty", data: Buffer.alloc(0) },
  ];
  const back = readZip(writeZip(entries));
  assert.deepEqual(back.map(({ name, data, executable }) => [name, data.toString(), executable]),
    entries.map(({ name, data, executable }) => [name, data.toString(), executable ?? false]));
});

test("the same files give the same archive, byte for byte", () => {
  const entries = [{ name: "a", data: Buffer.from("a") }];
  assert.deepEqual(writeZip(entries), writeZip(entries));
});

test("a corrupted archive is rejected", () => {
  const zip = writeZip([{ name: "a", data: Buffer.from("hello hello hello") }]);
  assert.throws(() => readZip(zip.subarray(0, 20)), RangeError);
  const flipped = Buffer.from(zip);
  flipped[12 + 30 + 1] = (flipped[12 + 30 + 1] as number) ^ 0xff;
  assert.throws(() => readZip(flipped));
});
