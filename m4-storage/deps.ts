/**
 * The milestones this one builds on, as the implementation switch names them
 * (the references unless told otherwise): milestone 1 to serialize files,
 * milestone 2 for node ids, milestone 3 for the node itself. It sits beside
 * api.ts, outside stub/, so that a submission cannot change what it is
 * graded on.
 */
import type * as M1 from "../m1-serialization/api.ts";
import type * as M2 from "../m2-actors/api.ts";
import type * as M3 from "../m3-gossip/api.ts";
import { load } from "../autograder/kit/implementations.ts";

export const m1: typeof M1 = await load<typeof M1>("m1");
export const m2: typeof M2 = await load<typeof M2>("m2");
export const m3: typeof M3 = await load<typeof M3>("m3");
