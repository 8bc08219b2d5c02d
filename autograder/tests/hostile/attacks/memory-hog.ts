/** Takes, at import, 2 GB of memory and touches all of it. */
import { Buffer } from "node:buffer";

const hog = Buffer.alloc(2 * 1024 * 1024 * 1024, 1);
process.stderr.write(`holding ${hog.length} bytes\n`);

export * from "./base-index.ts";
