// @ts-check
/**
 * A node:test reporter for the grader. It runs in the test runner's process,
 * not in the process that runs the code under test, and turns the runner's
 * events into one JSON line each, written as tests finish:
 *
 *   {"kind":"test","name":"…","passed":true,"ms":3.1}
 *   {"kind":"test","name":"…","passed":false,"ms":9,"message":"AssertionError: …"}
 *   {"kind":"output","text":"…"}                        what the tested code printed
 *
 * A skipped test is reported as failed: it earns no points. Only top-level
 * tests are reported; subtests count toward their parent. The
 * file itself, which the runner also reports as a test, is left out: a file
 * that fails outside any test shows in the output and the exit code.
 *
 * This one file is JavaScript: on Node 20 the test runner loads reporters
 * without tsx's hooks, so it cannot be TypeScript.
 */

/** The longest failure message kept, in characters (outcomes.ts: maxMessage). */
const maxMessage = 2000;

/** @param {string} text */
function cap(text) {
  return text.length <= maxMessage ? text : `${text.slice(0, maxMessage)}\n… (${text.length - maxMessage} more characters)`;
}

/**
 * The first lines of why a test failed.
 * @param {any} failure the runner's ERR_TEST_FAILURE, whose cause is the thrown value
 */
function describeFailure(failure) {
  if (failure?.failureType === "testTimeoutFailure") return `timed out: ${failure.message ?? ""}`.trim();
  const cause = failure?.cause ?? failure;
  if (typeof cause === "object" && cause !== null && typeof cause.message === "string") {
    return cap(`${cause.name ?? "Error"}: ${cause.message}`.trim());
  }
  return cap(String(cause));
}

/**
 * @param {AsyncIterable<{ type: string, data: any }>} source the runner's events
 * @returns {AsyncGenerator<string>}
 */
export default async function* graderReporter(source) {
  for await (const { type, data } of source) {
    if (type === "test:stdout" || type === "test:stderr") {
      yield `${JSON.stringify({ kind: "output", text: data.message ?? "" })}\n`;
      continue;
    }
    if ((type !== "test:pass" && type !== "test:fail") || data.nesting !== 0 || data.name === data.file) continue;
    // A skipped test did not show anything works: it earns nothing.
    const skipped = data.skip !== undefined && data.skip !== false;
    const passed = type === "test:pass" && !skipped;
    const message = skipped ? `skipped: ${data.skip === true ? "no reason given" : data.skip}` : passed ? undefined : describeFailure(data.details?.error);
    yield `${JSON.stringify({ kind: "test", name: data.name, passed, ms: data.details?.duration_ms ?? 0, message })}\n`;
  }
}
