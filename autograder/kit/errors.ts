/**
 * The kit's error hierarchy. Every error the kit throws on purpose is a
 * DistributionError; each subclass has a literal `name`, so errors that crossed
 * the network (where classes are lost) can still be told apart by name.
 */
export { DistributionError } from "./errors/distribution-error.ts";
export { NotImplemented } from "./errors/not-implemented.ts";
export { EncodeError } from "./errors/encode-error.ts";
export { DecodeError } from "./errors/decode-error.ts";
export { CallError, type CallSite } from "./errors/call-error.ts";
export { RemoteError, type RemoteReason } from "./errors/remote-error.ts";
export { TimeoutError } from "./errors/timeout-error.ts";
export { UnreachableError } from "./errors/unreachable-error.ts";
export { JobError, type JobStep } from "./errors/job-error.ts";
