export { RemoteError, TimeoutError, UnreachableError } from "../../autograder/kit/errors.ts";
export { nodeId } from "./node-id.ts";
export { realContext } from "./real-context.ts";
export { spawnNode } from "./spawn-node.ts";
export { startNode } from "./start-node.ts";
