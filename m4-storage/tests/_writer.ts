/**
 * A child process for the crash tests: opens a file store on a folder and
 * writes through it without pause, from several workers at once (each with
 * keys of its own, overwritten in turn, and a list it appends to), printing
 * one line per write once it has resolved, until it is killed. Sequence
 * numbers start at `base`, so that a restarted writer writes new values.
 *
 * Usage: _writer.ts <folder> <gid> <base>
 */
import type * as Api from "../api.ts";
import { load } from "../../autograder/kit/implementations.ts";
import { formatAck, valueFor, workerKeys, workers } from "./_crash.ts";

const m4 = await load<typeof Api>("m4");
const [folder, gid, baseText] = process.argv.slice(-3) as [string, string, string];
const store = m4.fileStore(folder);
let seq = Number(baseText);

process.stdin.on("end", () => process.exit(0));
process.stdin.resume();

async function worker(w: number): Promise<void> {
  const { puts, list } = workerKeys(w);
  const held = await store.get(gid, list);
  let next = held.found ? (held.value as unknown[]).length : 0;
  for (let i = 0; ; i++) {
    if (i % 3 === 2) {
      const length = await store.append(gid, list, next++);
      process.stdout.write(`${formatAck({ op: "append", key: list, length })}\n`);
    } else {
      const key = puts[i % puts.length] as string;
      const mine = seq++;
      await store.put(gid, key, valueFor(key, mine));
      process.stdout.write(`${formatAck({ op: "put", key, seq: mine })}\n`);
    }
  }
}

process.stdout.write("ready\n");
await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
