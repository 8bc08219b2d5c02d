/**
 * Expected values from the graded milestone's reference, for a hidden test
 * that needs one as an oracle. The reference is never loaded in a process
 * that holds code under test (that code could import it from the module
 * cache): the test asks a process of its own, started before the test loads
 * any code under test, and gets plain data back.
 *
 * The oracle script calls `answerOracle` with a function from the test's
 * input (JSON) to its expected values (JSON); the test calls `askOracle`
 * with the script's path, at its top level, before `load`.
 *
 * @example
 * // hidden/_sum-oracle.ts
 * answerOracle(async ({ seed }) => (await load("m1", "reference")).serialize(seed));
 * // hidden/sum.test.ts
 * const expected = await askOracle<string>(new URL("./_sum-oracle.ts", import.meta.url), { seed: runSeed });
 */
import { spawn } from "node:child_process";
import { text } from "node:stream/consumers";
import { fileURLToPath } from "node:url";
import { envVariable } from "../kit/implementations.ts";
import { runAsVariable } from "../kit/privileges.ts";
import { currentRuntime, scriptCommand } from "../kit/runtime.ts";

/**
 * Runs an oracle script on `input` and returns what it answers.
 *
 * @throws Error when the script fails or answers something that is not JSON.
 */
export async function askOracle<Answer>(script: URL, input: unknown): Promise<Answer> {
  const { command, args } = scriptCommand(currentRuntime(), fileURLToPath(script));
  // The oracle holds no code under test: it stays who this process still is, and uses the references.
  const env: NodeJS.ProcessEnv = { ...process.env, [envVariable]: "*=reference" };
  delete env[runAsVariable];
  const child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"] });
  child.stdin.end(JSON.stringify(input));
  const [out, err, code] = await Promise.all([text(child.stdout), text(child.stderr), new Promise((resolve) => child.once("close", resolve))]);
  if (code !== 0) throw new Error(`Cannot get expected values from ${script.pathname}: it exited with ${code}\n${err.slice(-2000)}`);
  return JSON.parse(out) as Answer;
}

/** Answers one oracle question: reads the input from stdin, writes `compute(input)` as JSON to stdout. */
export async function answerOracle<Input, Answer>(compute: (input: Input) => Answer | Promise<Answer>): Promise<void> {
  const input = JSON.parse(await text(process.stdin)) as Input;
  process.stdout.write(JSON.stringify(await compute(input)));
}
