// @ts-check
/**
 * npm run doctor: checks that this machine can run the kit, and says in
 * plain words what to fix. Exits non-zero when something required is missing.
 *
 * This file is plain JavaScript, with no imports from the kit, so that it
 * runs before `npm ci` (which installs tsx) and on an old Node that needs
 * replacing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** The first line of `command --version`, or undefined when it does not run. */
function version(/** @type {string} */ command) {
  const result = spawnSync(command, ["--version"], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim().split("\n")[0] : undefined;
}

/** A runtime installed by `npm ci`, else the one on PATH. */
function runtime(/** @type {string} */ name) {
  const local = join(root, "node_modules", ".bin", name);
  return existsSync(local) ? local : name;
}

/** @typedef {{ name: string, required: boolean, problem: () => Promise<string | undefined> | string | undefined, found: () => string }} Check */

/** @type {Check[]} */
const checks = [
  {
    name: "Node.js 20.12 or later",
    required: true,
    problem: () => {
      const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
      return major > 20 || (major === 20 && minor >= 12) ? undefined : `you have Node ${process.versions.node}; install Node 20.12 or later (https://nodejs.org, or: nvm install 20)`;
    },
    found: () => `node ${process.versions.node}`,
  },
  {
    name: "npm",
    required: true,
    problem: () => (version("npm") ? undefined : "npm is not on your PATH; it comes with Node.js"),
    found: () => `npm ${version("npm")}`,
  },
  {
    name: "git",
    required: true,
    problem: () => (version("git") ? undefined : "install git (apt install git, brew install git, or https://git-scm.com)"),
    found: () => `${version("git")}`,
  },
  {
    name: "bash",
    required: true,
    problem: () => (version("bash") ? undefined : "install bash; on Windows, work inside WSL"),
    found: () => `${version("bash")}`,
  },
  {
    name: "the kit's dependencies",
    required: true,
    problem: () => (existsSync(join(root, "node_modules", "tsx")) ? undefined : "run `npm ci` in the kit's folder"),
    found: () => "installed",
  },
  {
    name: "a loopback port to listen on",
    required: true,
    problem: () =>
      new Promise((resolve) => {
        const server = createServer();
        server.once("error", (error) => resolve(`cannot listen on 127.0.0.1 (${error.message}); check your firewall or sandbox`));
        server.listen(0, "127.0.0.1", () => server.close(() => resolve(undefined)));
      }),
    found: () => "127.0.0.1 works",
  },
  {
    name: "a writable kit folder",
    required: true,
    problem: () => {
      const probe = join(root, ".cache", "doctor-probe");
      try {
        mkdirSync(join(root, ".cache"), { recursive: true });
        writeFileSync(probe, "ok");
        rmSync(probe);
        return undefined;
      } catch (error) {
        return `cannot write in ${root} (${error instanceof Error ? error.message : error}); clone the kit somewhere you own`;
      }
    },
    found: () => root,
  },
  {
    name: "Bun (optional: npm run grade m1 -- --runtime bun)",
    required: false,
    problem: () => (version(runtime("bun")) ? undefined : "run `npm ci`; it installs Bun with the kit"),
    found: () => `bun ${version(runtime("bun"))}`,
  },
  {
    name: "Deno (optional: npm run grade m1 -- --runtime deno)",
    required: false,
    problem: () => (version(runtime("deno")) ? undefined : "run `npm ci`; it installs Deno with the kit"),
    found: () => `${version(runtime("deno"))}`,
  },
  {
    name: "the PostgreSQL manual (optional: m0's corpus tests, its benchmark and its Gradescope package)",
    required: false,
    problem: () => (existsSync(join(root, ".cache", "corpora", "postgres"))
      ? undefined
      : "run `npm run corpus -- get postgres` (npm test fetches it where apt-get can); without it m0's corpus tests do not run, and `npm run package:gradescope m0` refuses"),
    found: () => join(root, ".cache", "corpora", "postgres"),
  },
];

let missing = 0;
for (const check of checks) {
  const problem = await check.problem();
  if (problem === undefined) {
    console.log(`  ok    ${check.name}: ${check.found()}`);
  } else {
    if (check.required) missing++;
    console.log(`  ${check.required ? "FIX " : "note"}  ${check.name}: ${problem}`);
  }
}
console.log(missing === 0 ? "\nThis machine can run the kit." : `\n${missing} required thing${missing === 1 ? " is" : "s are"} missing: fix ${missing === 1 ? "it" : "them"}, then run npm run doctor again.`);
process.exit(missing === 0 ? 0 : 1);
