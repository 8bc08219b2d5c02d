/**
 * Deliberately broken variants of the m2 reference, each one small edit that
 * models a bug students write. `npm run verify m2` checks that the hidden
 * tests catch every one.
 */
import type { Mutant } from "../../autograder/grader/mutant.ts";

export const mutants: Mutant[] = [
  {
    name: "duplicates-run-twice",
    file: "recent-requests.ts",
    find: "if (known !== undefined) return known;",
    replace: "",
    bug: "a request the network delivers twice runs twice",
  },
  {
    name: "no-mailbox",
    file: "dispatcher.ts",
    find: 'entry.mode === "actor" ? entry.mailbox.post(call) : call()',
    replace: "call()",
    bug: "a service takes all its messages at once, so an await between read and write loses updates",
  },
  {
    name: "inherited-methods-callable",
    file: "dispatcher.ts",
    find: "Object.hasOwn(entry.service, method)",
    replace: "method in entry.service",
    bug: "toString and constructor count as methods of a service",
  },
  {
    name: "no-current-node",
    file: "dispatcher.ts",
    find: "const call = () => currentNode.run(node, () => (fn as (...args: unknown[]) => unknown).apply(entry.service, args));",
    replace: "const call = () => (fn as (...args: unknown[]) => unknown).apply(entry.service, args);",
    bug: "service methods run outside their node's context, so an RPC stub called there has no node to send from",
  },
  {
    name: "errors-not-wrapped",
    file: "comm.ts",
    find: "throw new RemoteError(`Cannot call ${where}: ${reason}`, { cause, site });",
    replace: "throw cause;",
    bug: "a remote error is rethrown as it is, not as a RemoteError",
  },
  {
    name: "unreachable-is-timeout",
    file: "comm.ts",
    find: "throw new UnreachableError(`Cannot call ${where}: ${reason}`, { cause: error, site });",
    replace: "throw new TimeoutError(`Cannot call ${where}: ${reason}`, { cause: error, site });",
    bug: "a refused connection is reported as a timeout",
  },
  {
    name: "long-default-timeout",
    file: "start-node.ts",
    find: "callTimeoutMs: config.callTimeoutMs ?? 5000",
    replace: "callTimeoutMs: config.callTimeoutMs ?? 60_000",
    bug: "calls wait a minute, not 5 seconds, before giving up",
  },
  {
    name: "no-body-limit",
    file: "http-transport.ts",
    find: "this.#bodyLimit = options.bodyLimitBytes ?? 16 * 1024 * 1024;",
    replace: "this.#bodyLimit = Infinity;",
    bug: "any body is accepted, however large",
  },
  {
    name: "any-method-accepted",
    file: "http-transport.ts",
    find: 'if (req.method !== "POST") {',
    replace: 'if (req.method === "PATCH") {',
    bug: "GET and PUT requests are handled like POST",
  },
  {
    name: "port-kept",
    file: "start-node.ts",
    find: "        await listener.close();\n",
    replace: "",
    bug: "stop() never closes the server, so the port stays taken and the node keeps answering",
  },
  {
    name: "timers-survive-stop",
    file: "start-node.ts",
    find: "        clock.cancelAll();\n",
    replace: "",
    bug: "a stopped node's timers still fire",
  },
  {
    name: "pending-calls-survive-stop",
    file: "start-node.ts",
    find: "        comm.stop();\n",
    replace: "",
    bug: "a stopped node's calls in flight wait for their timeout",
  },
  {
    name: "orphaned-children",
    file: "child-main.ts",
    find: 'process.stdin.on("end", async () => {',
    replace: 'process.stdin.on("never", async () => {',
    bug: "a spawned node outlives its parent",
  },
  {
    name: "node-id-without-colon",
    file: "node-id.ts",
    find: ".update(`${address.ip}:${address.port}`)",
    replace: ".update(`${address.ip}${address.port}`)",
    bug: "the node id hashes ip and port without the colon",
  },
  {
    name: "counts-frozen",
    file: "dispatcher.ts",
    find: "    this.received++;\n",
    replace: "",
    bug: "status counts no received message",
  },
  {
    name: "stub-runs-locally",
    file: "rpc.ts",
    find: "return node.comm.send([${JSON.stringify(id)}, ...args], ${remote});",
    replace: "return node.comm.send([${JSON.stringify(id)}, ...args], { ...${remote}, node: node.address });",
    bug: "an RPC stub sends its call to the node it is called on, not to its home node",
  },
];
