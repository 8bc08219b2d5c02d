/**
 * Milestone 1, as the node runtime uses it: whichever implementation the
 * implementation switch names (the reference unless told otherwise), so that
 * a student's m2 can run on their own m1 or on the reference.
 */
import type * as M1 from "../../m1-serialization/api.ts";
import { load } from "../../autograder/kit/implementations.ts";

const m1 = await load<typeof M1>("m1");

export const serialize: typeof M1.serialize = m1.serialize;
export const deserialize: typeof M1.deserialize = m1.deserialize;
