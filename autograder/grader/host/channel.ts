/**
 * The in-process end of the result channel: how a test process or a
 * benchmark worker proves to the grader that a line came from the kit's own
 * code and not from the code under test.
 *
 * The grader hands each process a fresh key, 32 random bytes, on file
 * descriptor 3 (a socket) before any code under test runs. `openChannel`
 * reads it into a KeyObject, whose bytes live outside the JavaScript heap,
 * and wipes the buffer it came in. Every line sent back on descriptor 3 carries a sequence number and an
 * HMAC of that number and its body; the grader (grader/signed-lines.ts)
 * accepts nothing else. Code under test can write on descriptor 3 too, but
 * without the key its lines fail the check, and a gap in the sequence shows.
 *
 * The one sender is handed out once (`claimChannel`), to the kit's reporter
 * or benchmark loop, before the code under test loads.
 *
 * @example
 * openChannel();
 * const channel = claimChannel();
 * channel.send({ kind: "test", name: "put() overwrites", passed: true });
 */
import { Buffer } from "node:buffer";
import { createHmac, createSecretKey, type KeyObject } from "node:crypto";
import { readSync, writeSync } from "node:fs";

/** The descriptor the grader opens for the channel. */
export const channelFd = 3;

/** The MAC of one line: what the grader recomputes. */
export function lineMac(key: KeyObject, seq: number, body: string): string {
  return createHmac("sha256", key).update(`${seq}\n${body}`).digest("hex");
}

export interface Channel {
  /** Sends one body, signed, as a line on descriptor 3. */
  send(body: Record<string, unknown>): void;
}

let channel: Channel | undefined;
let claimed = false;

/** The key's length in bytes. */
export const keyBytes = 32;

/** Reads exactly `length` bytes from a descriptor, or fewer if it closes first. */
function readExactly(fd: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const got = readSync(fd, bytes, read, length - read, null);
    if (got === 0) break;
    read += got;
  }
  return bytes.subarray(0, read);
}

/**
 * Takes the key from descriptor 3. Call once, before any code under test loads.
 *
 * @throws Error when no key arrives (the process was not started by the grader).
 */
export function openChannel(): void {
  if (channel !== undefined) throw new Error("Cannot open the result channel: it is already open");
  const bytes = readExactly(channelFd, keyBytes);
  if (bytes.length !== keyBytes) throw new Error("Cannot open the result channel: no key arrived on descriptor 3");
  const key = createSecretKey(bytes);
  bytes.fill(0);
  let seq = 0;
  channel = {
    send(body) {
      const text = JSON.stringify(body);
      writeSync(channelFd, `${JSON.stringify({ seq, body, mac: lineMac(key, seq, text) })}\n`);
      seq++;
    },
  };
}

/**
 * Hands out the channel's sender, once.
 *
 * @throws Error on a second call, or before `openChannel`.
 */
export function claimChannel(): Channel {
  if (channel === undefined || claimed) throw new Error("Cannot claim the result channel: it is taken");
  claimed = true;
  return channel;
}
