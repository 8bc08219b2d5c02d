export { DecodeError, EncodeError } from "../../autograder/kit/errors.ts";
export { deserialize } from "./deserialize.ts";
export { serialize } from "./serialize.ts";
