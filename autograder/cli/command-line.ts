/**
 * A command's flags, read with node:util's parseArgs. `--help` prints the
 * command's usage, which is the opening comment of its file; a flag the
 * command does not know prints what is wrong and that usage, and exits 2,
 * instead of a stack trace.
 *
 * @example
 * const { values } = readCommandLine(import.meta.url, { options: { out: { type: "string" } } });
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs, type ParseArgsConfig } from "node:util";

/** The opening comment of the module at `moduleUrl`, without its comment marks. */
export function usageOf(moduleUrl: string): string {
  const source = readFileSync(fileURLToPath(moduleUrl), "utf8");
  const comment = /^\/\*\*\n([\s\S]*?)\n \*\//.exec(source)?.[1] ?? "";
  return comment.split("\n").map((line) => line.replace(/^ \* ?/, "")).join("\n");
}

/** Reads the flags of the command whose file is `moduleUrl` (its `import.meta.url`). */
export function readCommandLine<T extends ParseArgsConfig>(moduleUrl: string, config: T): ReturnType<typeof parseArgs<T>> {
  const args = config.args ?? process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usageOf(moduleUrl));
    process.exit(0);
  }
  try {
    return parseArgs(config);
  } catch (error) {
    if (!String((error as { code?: unknown }).code).startsWith("ERR_PARSE_ARGS")) throw error;
    console.error(`${(error as Error).message}\n\n${usageOf(moduleUrl)}`);
    process.exit(2);
  }
}
