/**
 * Ignores SIGTERM in its own process and starts a child that ignores it too
 * and never exits.
 */
import { spawn } from "node:child_process";

process.on("SIGTERM", () => {});
spawn(process.execPath, ["-e", 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], { stdio: "ignore" }).unref();

export * from "./base-index.ts";
