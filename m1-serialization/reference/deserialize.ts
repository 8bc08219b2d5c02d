import { DecodeError } from "../../autograder/kit/errors.ts";
import { decodeGraph, parseJson } from "./decoder.ts";
import { graphMarker } from "./format.ts";

/**
 * Decodes text made by `serialize`.
 *
 * @throws DecodeError for anything that is not a serialization.
 */
export function deserialize(text: string): unknown {
  if (typeof text !== "string") {
    throw new DecodeError(`Cannot deserialize ${typeof text}: expected a string`);
  }
  return text.startsWith(graphMarker) ? decodeGraph(text.slice(graphMarker.length)) : parseJson(text);
}
