export { JobError, RemoteError, TimeoutError, UnreachableError } from "../../autograder/kit/errors.ts";
export { finalScore } from "./final-score.ts";
export { pageTitle } from "./page-title.ts";
export { partitionOf } from "./partition-of.ts";
export { snippetOf } from "./snippet.ts";
export { spawnNode } from "./spawn-node.ts";
export { startNode } from "./start-node.ts";
export { watermarks } from "./watermarks.ts";
export { windowOperator } from "./window-operator.ts";
