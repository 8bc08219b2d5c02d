/**
 * The node:test reporter of a graded test process. node:test runs the test
 * file in this same process and hands its events to this reporter, which
 * sends, on the signed channel (channel.ts), one line per top-level test as
 * it finishes, then the number of top-level tests the file defined, then an
 * end mark:
 *
 *   {"kind":"test","name":"…","passed":true,"ms":3.1}
 *   {"kind":"test","name":"…","passed":false,"ms":9,"message":"AssertionError: …"}
 *   {"kind":"test","name":"…","passed":false,"ms":0,"unavailable":"needs the … corpus"}
 *   {"kind":"plan","count":12}
 *   {"kind":"end"}
 *
 * A skipped test earns nothing: it is reported as failed, unless it was
 * skipped because something it needs is not on this machine (`unavailable`,
 * see corpus/for-tests.ts). Subtests count toward their parent.
 *
 * preload.ts makes node:test start the reporter before the test file (and
 * the code under test) loads; the reporter then claims the channel. A second
 * start is refused.
 */
import { unavailablePrefix } from "../../harness/unavailable.ts";
import { cap } from "../outcomes.ts";
import { claimChannel } from "./channel.ts";

let started = false;
let markStarted: () => void = () => {};

/** Resolves once node:test has started the reporter. */
export const reporterStarted: Promise<void> = new Promise((resolve) => {
  markStarted = resolve;
});

interface TestEvent {
  type: string;
  data: {
    name?: string;
    nesting?: number;
    count?: number;
    skip?: boolean | string;
    details?: { duration_ms?: number; error?: unknown };
  };
}

/** The first lines of why a test failed, from the runner's ERR_TEST_FAILURE (whose cause is the thrown value). */
function describeFailure(failure: unknown): string {
  const error = failure as { failureType?: string; message?: string; cause?: unknown } | undefined;
  if (error?.failureType === "testTimeoutFailure") return `timed out: ${error.message ?? ""}`.trim();
  const cause = (error?.cause ?? error) as { name?: unknown; message?: unknown } | undefined;
  if (typeof cause === "object" && cause !== null && typeof cause.message === "string") {
    return cap(`${String(cause.name ?? "Error")}: ${cause.message}`.trim());
  }
  return cap(String(cause));
}

function outcome({ type, data }: TestEvent): Record<string, unknown> {
  const ms = data.details?.duration_ms ?? 0;
  const skipped = data.skip !== undefined && data.skip !== false;
  const reason = skipped ? (data.skip === true ? "no reason given" : String(data.skip)) : "";
  if (skipped && reason.startsWith(unavailablePrefix)) {
    return { kind: "test", name: data.name, passed: false, ms, unavailable: reason.slice(unavailablePrefix.length) };
  }
  if (skipped) return { kind: "test", name: data.name, passed: false, ms, message: `skipped: ${reason}` };
  if (type === "test:pass") return { kind: "test", name: data.name, passed: true, ms };
  return { kind: "test", name: data.name, passed: false, ms, message: describeFailure(data.details?.error) };
}

export default async function* gradedReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  if (started) throw new Error("Cannot start the grader's reporter twice");
  started = true;
  const channel = claimChannel();
  markStarted();
  for await (const event of source) {
    if (event.data.nesting !== 0) continue;
    if (event.type === "test:pass" || event.type === "test:fail") channel.send(outcome(event));
    else if (event.type === "test:plan") channel.send({ kind: "plan", count: event.data.count ?? 0 });
  }
  channel.send({ kind: "end" });
  yield "";
}
