/**
 * Event-time windows (api.ts, WindowSpec): which windows a record's time
 * falls in, and the checks of a spec. A window is [start, end).
 */
import type { WindowSpec } from "../api.ts";

export interface Span {
  start: number;
  end: number;
}

const positive = (value: unknown): value is number => typeof value === "number" && value > 0 && Number.isFinite(value);

/** @throws RangeError unless the spec is one of the three forms, with positive finite sizes */
export function checkWindow(spec: WindowSpec): WindowSpec {
  const fields = Object.keys(spec ?? {}).sort().join(",");
  const ok = (fields === "tumbling" && positive((spec as { tumbling: number }).tumbling))
    || (fields === "every,sliding" && positive((spec as { sliding: number }).sliding) && positive((spec as { every: number }).every))
    || (fields === "session" && positive((spec as { session: number }).session));
  if (!ok) throw new RangeError(`Cannot use window ${JSON.stringify(spec)}: expected { tumbling: size }, { sliding: size, every } or { session: gap }, each a positive number of ms`);
  return spec;
}

/** The windows of a record at `time`, earliest first; a session's own window, before it merges. */
export function windowsOf(spec: WindowSpec, time: number): Span[] {
  if ("tumbling" in spec) {
    const start = Math.floor(time / spec.tumbling) * spec.tumbling;
    return [{ start, end: start + spec.tumbling }];
  }
  if ("sliding" in spec) {
    const spans: Span[] = [];
    for (let k = Math.floor((time - spec.sliding) / spec.every) + 1; k * spec.every <= time; k++) {
      const start = k * spec.every;
      if (time < start + spec.sliding) spans.push({ start, end: start + spec.sliding });
    }
    return spans;
  }
  return [{ start: time, end: time + spec.session }];
}
