/**
 * Milestone 1: serialization. Replace each `throw` with your implementation;
 * the contract is in ../api.ts and the guide in handouts/m1.md. You may add
 * files to this folder and import them from here.
 */
import { NotImplemented } from "../../autograder/kit/errors.ts";

export { DecodeError, EncodeError } from "../../autograder/kit/errors.ts";

/** Encodes a value as text. See ../api.ts. */
export function serialize(value: unknown): string {
  throw new NotImplemented("m1 serialize: see handouts/m1.md#serialize");
}

/** Decodes text made by `serialize`. See ../api.ts. */
export function deserialize(text: string): unknown {
  throw new NotImplemented("m1 deserialize: see handouts/m1.md#deserialize");
}
