/**
 * What the crash tests write, shared by the writing child (./_writer.ts) and
 * the test that checks the folder after killing it: each value is made from
 * its key and a sequence number, so that a value read back can be checked
 * whole (every byte where it belongs) without remembering it.
 */

/** The keys of the writer's worker `w`: four to overwrite, one list to append to. */
export function workerKeys(w: number): { puts: string[]; list: string } {
  return { puts: [0, 1, 2, 3].map((j) => `../w${w}/k${j}\u0000`), list: `w${w} list 🗝` };
}

/** How many workers the writer runs. */
export const workers = 4;

/** Every key the writer may write. */
export const allKeys: readonly string[] = Array.from({ length: workers }, (_, w) => workerKeys(w)).flatMap(({ puts, list }) => [...puts, list]);

/** The value written to `key` with sequence number `seq`: 1 KB to 600 KB, with a Map and a Date. */
export function valueFor(key: string, seq: number): { key: string; seq: number; at: Date; tags: Map<string, number>; body: string; end: number } {
  const unit = `${key}|${seq}|`;
  const repeat = 1 + ((seq * 7_919) % 60_000) / unit.length * 10;
  return { key, seq, at: new Date(seq), tags: new Map([["seq", seq]]), body: unit.repeat(Math.floor(repeat)), end: seq };
}

/** The sequence number a value read back claims, if it looks like one of ours. */
export function seqOf(value: unknown): number | undefined {
  if (typeof value !== "object" || value === null || !("seq" in value)) return undefined;
  const seq = (value as { seq: unknown }).seq;
  return typeof seq === "number" ? seq : undefined;
}

/** One line the writer prints once a write has resolved. */
export type Ack = { op: "put"; key: string; seq: number } | { op: "append"; key: string; length: number };

export function formatAck(ack: Ack): string {
  return JSON.stringify(ack);
}

export function parseAck(line: string): Ack {
  return JSON.parse(line) as Ack;
}
