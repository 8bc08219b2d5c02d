/**
 * The milestones this one builds on, as the implementation switch names them
 * (the references unless told otherwise): milestone 0 for text (getText,
 * getURLs, process, stem, combine, invert), milestone 2 for node ids and
 * child processes, milestone 4 for placement, milestone 5 for the node and
 * its jobs. It sits beside api.ts, outside stub/, so that a submission cannot
 * change what it is graded on.
 */
import type * as M0 from "../m0-setup/api.ts";
import type * as M2 from "../m2-actors/api.ts";
import type * as M4 from "../m4-storage/api.ts";
import type * as M5 from "../m5-mapreduce/api.ts";
import { load } from "../autograder/kit/implementations.ts";

export const m0: typeof M0 = await load<typeof M0>("m0");
export const m2: typeof M2 = await load<typeof M2>("m2");
export const m4: typeof M4 = await load<typeof M4>("m4");
export const m5: typeof M5 = await load<typeof M5>("m5");
