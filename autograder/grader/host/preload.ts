/**
 * The first module of every graded test process on Node (`--import`, right
 * after tsx): it takes the result channel's key, guards the process, and has
 * node:test start the grader's reporter, all before the test file or anything
 * it loads runs.
 *
 * A root-level `before` hook is what makes node:test set up its reporters
 * now rather than at the test file's first `test()`; the module waits until
 * the reporter has started, so that it, and not code under test, holds the
 * channel. (The benchmark worker opens the channel and guards itself the
 * same way, in its own first lines.)
 *
 * Usage: node --import tsx --import …/preload.ts --test-reporter=…/reporter.ts FILE
 */
import { before } from "node:test";
import { openChannel } from "./channel.ts";
import { guardProcess } from "./guard.ts";
import { reporterStarted } from "./reporter.ts";

openChannel();
guardProcess();
before(() => {});
await reporterStarted;
