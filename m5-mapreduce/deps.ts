/**
 * The milestones this one builds on, as the implementation switch names them
 * (the references unless told otherwise): milestone 1 to serialize shuffled
 * batches, milestone 2 for node ids, milestone 4 for the node, its stores
 * and placements. It sits beside api.ts, outside stub/, so that a submission
 * cannot change what it is graded on.
 */
import type * as M1 from "../m1-serialization/api.ts";
import type * as M2 from "../m2-actors/api.ts";
import type * as M4 from "../m4-storage/api.ts";
import { load } from "../autograder/kit/implementations.ts";

export const m1: typeof M1 = await load<typeof M1>("m1");
export const m2: typeof M2 = await load<typeof M2>("m2");
export const m4: typeof M4 = await load<typeof M4>("m4");
