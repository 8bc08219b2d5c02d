/**
 * The milestones this one builds on, as the implementation switch names them
 * (the references unless told otherwise): milestone 2 for the node itself
 * and node ids. It sits beside api.ts, outside stub/, so that a submission
 * cannot change what it is graded on.
 */
import type * as M2 from "../m2-actors/api.ts";
import { load } from "../autograder/kit/implementations.ts";

export const m2: typeof M2 = await load<typeof M2>("m2");
