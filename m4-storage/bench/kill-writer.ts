/**
 * The child of kill.ts: writes values of growing size to a file store in
 * the folder it is given, as fast as it can, and prints each key once its
 * write has resolved, until it is killed.
 */
import type * as Api from "../api.ts";
import { load } from "../../autograder/kit/implementations.ts";

const m4 = await load<typeof Api>("m4");
const store = m4.fileStore(process.argv[2] as string);
for (let i = 0; ; i++) {
  await store.put("kv", `key-${i}`, "x".repeat(i * 10));
  process.stdout.write(`key-${i}\n`);
}
