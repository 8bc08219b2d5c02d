/**
 * A digest of workload outputs: SHA-256 over a canonical JSON text (object
 * keys sorted), so that two implementations whose outputs are equal give the
 * same digest whatever order they built their objects in.
 *
 * The text is hashed as it is written, in chunks, and never held whole: the
 * outputs of a benchmark run can be large (a million numbers, several times),
 * and the worker that digests them shares the grader's memory with another.
 *
 * @example
 * const digest = new Digest();
 * digest.add({ b: 1, a: 2 });
 * digest.hex() === digestOf([{ a: 2, b: 1 }]); // true
 */
import { createHash } from "node:crypto";

/** How much text is gathered before it is hashed. */
const chunkChars = 64 * 1024;

/** The canonical JSON of a list of values, added one at a time, hashed as it goes. */
export class Digest {
  #hash = createHash("sha256");
  #pending = "[";
  #empty = true;

  /** Adds the next value of the list; undefined counts as null. */
  add(value: unknown): void {
    if (!this.#empty) this.#write(",");
    this.#empty = false;
    this.#canonical(value);
  }

  /** The digest of the list so far, in hex; the digest is finished after this. */
  hex(): string {
    this.#write("]");
    return this.#hash.update(this.#pending).digest("hex");
  }

  #write(text: string): void {
    this.#pending += text;
    if (this.#pending.length >= chunkChars) {
      this.#hash.update(this.#pending);
      this.#pending = "";
    }
  }

  #canonical(value: unknown): void {
    if (Array.isArray(value)) {
      this.#write("[");
      for (let index = 0; index < value.length; index++) {
        if (index > 0) this.#write(",");
        this.#canonical(value[index]);
      }
      this.#write("]");
    } else if (typeof value === "object" && value !== null) {
      this.#write("{");
      Object.keys(value).sort().forEach((key, index) => {
        this.#write(`${index > 0 ? "," : ""}${JSON.stringify(key)}:`);
        this.#canonical((value as Record<string, unknown>)[key]);
      });
      this.#write("}");
    } else {
      this.#write(JSON.stringify(value) ?? "null");
    }
  }
}

/** The digest of a list of outputs, in hex. */
export function digestOf(outputs: readonly unknown[]): string {
  const digest = new Digest();
  for (const output of outputs) digest.add(output);
  return digest.hex();
}
