/**
 * The milestones this one builds on, as the implementation switch names them
 * (the references unless told otherwise): milestone 1 to serialize arguments
 * and results. It sits beside api.ts, outside stub/, so that a submission
 * cannot change what it is graded on.
 */
import type * as M1 from "../m1-serialization/api.ts";
import { load } from "../autograder/kit/implementations.ts";

export const m1: typeof M1 = await load<typeof M1>("m1");
