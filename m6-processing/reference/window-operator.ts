/**
 * The keyed window operator of a stream job (api.ts, WindowOperator): a
 * pure core, with no clock and no I/O. The caller feeds it records, moves
 * its watermark and tells it the processing time; it answers with the
 * results and late records each step gives out.
 *
 * Each window of a key is a pane: its combined value, how many results it
 * gave, whether it gave its on-time one (`fired`), whether it has records
 * since its last result (`dirty`), and when its next early or late result
 * is due. `deadline` and `nextDue` are the earliest moments at which a
 * watermark or a time step has anything to do, so most steps touch no pane.
 */
import type { StreamRecord, WindowingOptions, WindowOperator, WindowOutput, WindowResult, WindowSpec } from "../api.ts";
import { checkWindow, type Span, windowsOf } from "./windows.ts";

/** A window of a key, as the state holds it. */
interface Pane extends Span {
  key: string;
  value: unknown;
  panes: number;
  fired: boolean;
  dirty: boolean;
  due: number | null;
}

interface Snapshot {
  watermark: number;
  panes: Pane[];
}

interface Settings {
  window: WindowSpec;
  reduce: (a: unknown, b: unknown) => unknown;
  lateness: number;
  earlyMs: number | undefined;
  lateMs: number;
}

function check(what: string, value: number | undefined, ok: (value: number) => boolean, expected: string): void {
  if (value !== undefined && !(typeof value === "number" && ok(value) && Number.isFinite(value))) throw new RangeError(`Cannot use ${what} ${value}: expected ${expected}`);
}

/** @throws RangeError for an option outside its range */
export function checkWindowing(options: WindowingOptions): Settings {
  const { window, reduce, allowedLatenessMs = 0, earlyMs, lateMs = 0 } = options;
  checkWindow(window);
  if (typeof reduce !== "function") throw new RangeError("Cannot window without reduce: expected a function of two values");
  check("allowedLatenessMs", allowedLatenessMs, (ms) => ms >= 0, "a number ≥ 0");
  check("earlyMs", earlyMs, (ms) => ms > 0, "a positive number");
  check("lateMs", lateMs, (ms) => ms >= 0, "a number ≥ 0");
  return { window, reduce, lateness: allowedLatenessMs, earlyMs, lateMs };
}

function checkRecord(record: StreamRecord): void {
  const { key, time } = (record ?? {}) as Partial<StreamRecord>;
  if (typeof key !== "string" || typeof time !== "number" || !Number.isFinite(time)) {
    throw new RangeError("Cannot add the record: expected { key: string, value, time: finite number }");
  }
}

/** Results in the order api.ts gives them: by end, then start, then key. */
const byWindow = (a: WindowResult, b: WindowResult): number =>
  a.end - b.end || a.start - b.start || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The least of `of(item)` over the items (Infinity for none). */
const least = <T>(items: readonly T[], of: (item: T) => number): number => items.reduce((min, item) => Math.min(min, of(item)), Infinity);

const results = (given: WindowResult[]): WindowOutput[] => given.sort(byWindow).map((result) => ({ result }));

export class KeyedWindows implements WindowOperator {
  readonly #settings: Settings;
  #watermark = -Infinity;
  readonly #byKey = new Map<string, Pane[]>();
  /** No pane fires or expires before the watermark reaches this. */
  #deadline = Infinity;
  /** No early or late result is due before this. */
  #nextDue = Infinity;

  constructor(options: WindowingOptions, snapshot?: unknown) {
    this.#settings = checkWindowing(options);
    if (snapshot !== undefined) this.#restore(snapshot);
  }

  add(record: StreamRecord, now: number): WindowOutput[] {
    checkRecord(record);
    const { window } = this.#settings;
    if ("session" in window) {
      const span = windowsOf(window, record.time)[0] as Span;
      if (this.#expired(span)) return [{ late: record }];
      const given = this.#touched(this.#merged(record, span), now);
      return given === undefined ? [] : results([given]);
    }
    const live = windowsOf(window, record.time).filter((span) => !this.#expired(span));
    if (live.length === 0) return [{ late: record }];
    const given: WindowResult[] = [];
    for (const span of live) {
      let pane = this.#find(record.key, span);
      if (pane === undefined) pane = this.#open(record.key, span, record.value);
      else pane.value = this.#settings.reduce(pane.value, record.value);
      const result = this.#touched(pane, now);
      if (result !== undefined) given.push(result);
    }
    return results(given);
  }

  watermark(watermark: number): WindowOutput[] {
    if (!(watermark > this.#watermark)) return [];
    this.#watermark = watermark;
    if (watermark < this.#deadline) return [];
    const given: WindowResult[] = [];
    for (const [key, panes] of this.#byKey) {
      const kept = panes.filter((pane) => {
        if (!pane.fired && pane.end <= watermark) given.push(this.#result(pane, "on time"));
        else if (this.#expired(pane) && pane.dirty) given.push(this.#result(pane, "late"));
        return !this.#expired(pane);
      });
      if (kept.length === 0) this.#byKey.delete(key);
      else this.#byKey.set(key, kept);
    }
    this.#deadline = least(this.#panes(), (pane) => this.#deadlineOf(pane));
    return results(given);
  }

  time(now: number): WindowOutput[] {
    if (now < this.#nextDue) return [];
    const due = this.#panes().filter((pane) => pane.due !== null && pane.due <= now);
    due.sort((a, b) => (a.due as number) - (b.due as number) || a.end - b.end || a.start - b.start || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const given = due.map((pane) => ({ result: this.#result(pane, pane.fired ? "late" : "early") }));
    this.#nextDue = least(this.#panes(), (pane) => pane.due ?? Infinity);
    return given;
  }

  /** The watermark it has reached. */
  reached(): number {
    return this.#watermark;
  }

  /** When the next early or late result falls due, in processing time (Infinity: none is pending). */
  nextDue(): number {
    return this.#nextDue;
  }

  held(): number {
    let count = 0;
    for (const panes of this.#byKey.values()) count += panes.length;
    return count;
  }

  snapshot(): Snapshot {
    return { watermark: this.#watermark, panes: this.#panes().map((pane) => ({ ...pane })) };
  }

  /** A window has expired once the watermark reached its end plus the allowed lateness. */
  #expired(span: Span): boolean {
    return span.end + this.#settings.lateness <= this.#watermark;
  }

  /** The watermark at which a pane next fires (its end) or expires. */
  #deadlineOf(pane: Pane): number {
    return pane.fired ? pane.end + this.#settings.lateness : pane.end;
  }

  #panes(): Pane[] {
    return [...this.#byKey.values()].flat();
  }

  #find(key: string, span: Span): Pane | undefined {
    return this.#byKey.get(key)?.find((pane) => pane.start === span.start && pane.end === span.end);
  }

  /** A new pane of a key's window, holding one value. A window new behind the watermark is late from the start. */
  #open(key: string, span: Span, value: unknown): Pane {
    const pane: Pane = { key, ...span, value, panes: 0, fired: span.end <= this.#watermark, dirty: false, due: null };
    this.#byKey.set(key, [...(this.#byKey.get(key) ?? []), pane]);
    return pane;
  }

  /**
   * A key's session windows that the record's window overlaps or touches,
   * merged with it into one pane: their values combined earliest window
   * first (the record after a window that starts where it does).
   */
  #merged(record: StreamRecord, span: Span): Pane {
    const panes = this.#byKey.get(record.key) ?? [];
    const touching = panes.filter((pane) => pane.start <= span.end && pane.end >= span.start);
    const parts = [...touching, { ...span, value: record.value }].sort((a, b) => a.start - b.start);
    const start = Math.min(...parts.map((part) => part.start));
    const end = Math.max(...parts.map((part) => part.end));
    const dues = touching.flatMap((pane) => (pane.due === null ? [] : [pane.due]));
    const merged: Pane = {
      key: record.key,
      start,
      end,
      value: parts.map((part) => part.value).reduce((a, b) => this.#settings.reduce(a, b)),
      panes: touching.reduce((sum, pane) => sum + pane.panes, 0),
      fired: end <= this.#watermark,
      dirty: touching.some((pane) => pane.dirty),
      due: dues.length === 0 ? null : Math.min(...dues),
    };
    this.#byKey.set(record.key, [...panes.filter((pane) => !touching.includes(pane)), merged]);
    return merged;
  }

  /** A pane got a record at `now`: its early or late result is due, or given at once (lateMs 0). */
  #touched(pane: Pane, now: number): WindowResult | undefined {
    const { earlyMs, lateMs } = this.#settings;
    pane.dirty = true;
    this.#deadline = Math.min(this.#deadline, this.#deadlineOf(pane));
    if (pane.due !== null) return undefined;
    if (pane.fired && lateMs === 0) return this.#result(pane, "late");
    if (pane.fired || earlyMs !== undefined) {
      pane.due = now + (pane.fired ? lateMs : (earlyMs as number));
      this.#nextDue = Math.min(this.#nextDue, pane.due);
    }
    return undefined;
  }

  /** Gives a pane's result now; it holds no records since. */
  #result(pane: Pane, timing: WindowResult["timing"]): WindowResult {
    if (timing === "on time") pane.fired = true;
    pane.dirty = false;
    pane.due = null;
    const { key, start, end, value } = pane;
    return { key, start, end, value, timing, pane: pane.panes++, final: this.#expired(pane) };
  }

  #restore(snapshot: unknown): void {
    const { watermark, panes } = (snapshot ?? {}) as Partial<Snapshot>;
    if (typeof watermark !== "number" || !Array.isArray(panes)) throw new RangeError("Cannot restore the window operator: not a snapshot of one");
    this.#watermark = watermark;
    for (const pane of panes) {
      const held = this.#byKey.get(pane.key) ?? [];
      this.#byKey.set(pane.key, [...held, { ...pane }]);
      this.#deadline = Math.min(this.#deadline, this.#deadlineOf(pane));
      this.#nextDue = Math.min(this.#nextDue, pane.due ?? Infinity);
    }
  }
}

export const windowOperator = (options: WindowingOptions, snapshot?: unknown): WindowOperator => new KeyedWindows(options, snapshot);
