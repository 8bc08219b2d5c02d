/**
 * Milestone 2, as this milestone builds on it: whichever implementation the
 * implementation switch names (the reference unless told otherwise).
 */
import type * as M2 from "../../m2-actors/api.ts";
import { load } from "../../autograder/kit/implementations.ts";

export const m2: typeof M2 = await load<typeof M2>("m2");
