/**
 * Starts, at import, processes that try to outlive the test file: one in a
 * session of its own (setsid), one whose shell parent exits at once, both
 * burning CPU forever.
 */
import { spawn } from "node:child_process";

const burn = "for (;;) {}";
spawn(process.execPath, ["-e", burn], { detached: true, stdio: "ignore" }).unref();
spawn("/bin/sh", ["-c", `setsid ${JSON.stringify(process.execPath)} -e '${burn}' >/dev/null 2>&1 &`], { detached: true, stdio: "ignore" }).unref();

export * from "./base-index.ts";
