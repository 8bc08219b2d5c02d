/**
 * Stands in, for the type checker, for the code an attack wraps: when the
 * hostile suite builds a submission, this file is replaced by the real
 * index.ts of the stub or the reference the attack sits on.
 */
export * from "../../../../m1-serialization/stub/index.ts";
