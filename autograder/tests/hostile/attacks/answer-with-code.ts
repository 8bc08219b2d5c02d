/**
 * A node that answers with code. Its status report carries a function whose
 * source, as this process prints it (the submission replaced
 * Function.prototype.toString), is an expression that writes a file when it
 * is evaluated in a black-box test's process (one whose environment names
 * DIST_BLACK_BOX). That process deserializes the report; if it re-created the
 * function by evaluating that source, the submission's code would run there,
 * beside the test. (In the other test files the submission runs in-process
 * anyway.)
 */
import type * as M2 from "../../../../m2-actors/api.ts";
import * as wrapped from "./base-index.ts";

export * from "./base-index.ts";

const base = wrapped as unknown as typeof M2;
const marker = "/tmp/hostile-eval-marker.txt";
const carrier = () => 0;
const print = Function.prototype.toString;
Function.prototype.toString = function (this: Function) {
  return this === carrier
    ? `(process.env.DIST_BLACK_BOX && process.getBuiltinModule("node:fs").writeFileSync(${JSON.stringify(marker)}, String(process.pid)), () => 0)`
    : print.call(this);
};

export const startNode: typeof M2.startNode = async (config) => {
  const node = await base.startNode(config);
  const status = (await node.routes.get("status")) as Record<string, (...args: unknown[]) => unknown>;
  const report = status.report as (...args: unknown[]) => Promise<object>;
  status.report = async (...args: unknown[]) => ({ ...(await report.apply(status, args)), carrier });
  return node;
};
