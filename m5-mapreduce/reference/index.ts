export { JobError, RemoteError, TimeoutError, UnreachableError } from "../../autograder/kit/errors.ts";
export { spawnNode } from "./spawn-node.ts";
export { startNode } from "./start-node.ts";
