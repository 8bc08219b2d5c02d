export { RemoteError, TimeoutError, UnreachableError } from "../../autograder/kit/errors.ts";
export { fileStore } from "./file-store.ts";
export { memoryStore } from "./memory-store.ts";
export { defaultPlacement, keyHash, owner, owners } from "./placement.ts";
export { spawnNode } from "./spawn-node.ts";
export { startNode } from "./start-node.ts";
