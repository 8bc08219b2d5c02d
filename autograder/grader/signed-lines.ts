/**
 * The grader's end of the result channel (host/channel.ts): a fresh key for
 * each graded process, and a reader that accepts a line only if its MAC is
 * right and its sequence number is the next one. The first line that fails
 * makes the whole channel untrusted: nothing after it counts, and the caller
 * fails everything the process reported.
 *
 * @example
 * const reader = new SignedLines(newKey());
 * for (const body of reader.push(chunk)) console.log(body.kind);
 * if (reader.untrusted) console.log(reader.untrusted);
 */
import { Buffer } from "node:buffer";
import { createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from "node:crypto";
import { keyBytes, lineMac } from "./host/channel.ts";

/** The longest line accepted, in characters: a line that grows past it is not the harness's. */
const maxLine = 1024 * 1024;

/** A fresh channel key: the bytes to send to the process, and the KeyObject to check its lines with. */
export function newKey(): { bytes: Buffer; key: KeyObject } {
  const bytes = randomBytes(keyBytes);
  return { bytes, key: createSecretKey(bytes) };
}

export class SignedLines {
  #key: KeyObject;
  #seq = 0;
  #pending = "";
  /** Why the channel is untrusted, once a line failed. */
  untrusted: string | undefined;

  constructor(key: KeyObject) {
    this.#key = key;
  }

  /** Takes received text; returns the bodies of the complete lines in it that check out. */
  push(chunk: string): Array<Record<string, unknown>> {
    if (this.untrusted !== undefined) return [];
    this.#pending += chunk;
    const lines = this.#pending.split("\n");
    this.#pending = lines.pop() as string;
    if (this.#pending.length > maxLine) this.untrusted = "a line on the result channel is too long to be the harness's";
    const bodies: Array<Record<string, unknown>> = [];
    for (const line of lines) {
      const body = this.#check(line);
      if (body === undefined) break;
      bodies.push(body);
    }
    return bodies;
  }

  /** Call when the process has exited: a partial last line is a forgery or a cut. */
  end(): void {
    if (this.untrusted === undefined && this.#pending !== "") this.untrusted = "the result channel ended in the middle of a line";
  }

  #check(line: string): Record<string, unknown> | undefined {
    let parsed: { seq?: unknown; body?: unknown; mac?: unknown };
    try {
      parsed = JSON.parse(line);
    } catch {
      this.untrusted = "a line on the result channel is not JSON";
      return undefined;
    }
    const { seq, body, mac } = parsed ?? {};
    if (seq !== this.#seq || typeof mac !== "string" || typeof body !== "object" || body === null || Array.isArray(body)) {
      this.untrusted = `a line on the result channel is out of sequence or malformed (expected line ${this.#seq})`;
      return undefined;
    }
    const expected = Buffer.from(lineMac(this.#key, seq, JSON.stringify(body)), "hex");
    const given = Buffer.from(mac, "hex");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      this.untrusted = `line ${seq} on the result channel does not carry the harness's signature`;
      return undefined;
    }
    this.#seq++;
    return body as Record<string, unknown>;
  }
}
