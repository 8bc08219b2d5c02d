/**
 * The built-in functions handouts/m1.md#built-in-functions promises: what is
 * reachable from the global object in one or two steps, methods of global
 * classes' prototypes, and the exports of the listed `node:` modules, one or
 * two steps deep. A step reads an own data property; getters are not run.
 */
import * as assertModule from "node:assert";
import * as buffer from "node:buffer";
import * as childProcess from "node:child_process";
import * as crypto from "node:crypto";
import * as dns from "node:dns";
import * as events from "node:events";
import * as fs from "node:fs";
import * as fsPromises from "node:fs/promises";
import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as querystring from "node:querystring";
import * as stream from "node:stream";
import * as timers from "node:timers";
import * as url from "node:url";
import * as util from "node:util";
import * as zlib from "node:zlib";

/** A built-in function and a path that reaches it, e.g. "Map.prototype.get". */
export type BuiltIn = [path: string, fn: Function];

export const nodeModules: Record<string, object> = {
  assert: assertModule, buffer, child_process: childProcess, crypto, dns, events, fs, "fs/promises": fsPromises,
  http, https, net, os, path, querystring, stream, timers, url, util, zlib,
};

function isObject(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/** Own data properties of `holder` (no getter is run), as [key, value]. */
function dataProperties(holder: object): Array<[string, unknown]> {
  const found: Array<[string, unknown]> = [];
  for (const key of Object.getOwnPropertyNames(holder)) {
    const descriptor = Object.getOwnPropertyDescriptor(holder, key);
    if (descriptor && "value" in descriptor) found.push([key, descriptor.value]);
  }
  return found;
}

/** The functions reachable from `root` in one or two steps, named from `prefix`, with their step count. */
function twoSteps(root: object, prefix: string, into: Map<Function, [string, number]>): void {
  for (const [key, first] of dataProperties(root)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof first === "function" && !into.has(first)) into.set(first, [name, 1]);
    if (!isObject(first) || first === root) continue;
    for (const [key2, second] of dataProperties(first)) {
      if (typeof second === "function" && !into.has(second)) into.set(second, [`${name}.${key2}`, 2]);
    }
  }
}

/** Built-ins reachable from the global object, and methods of global classes' prototypes. */
export function globalBuiltIns(): BuiltIn[] {
  const found = new Map<Function, [string, number]>();
  twoSteps(globalThis, "", found);
  for (const [key, value] of dataProperties(globalThis)) {
    if (typeof value !== "function") continue;
    const prototype = Object.getOwnPropertyDescriptor(value, "prototype")?.value;
    if (!isObject(prototype)) continue;
    for (const [method, fn] of dataProperties(prototype)) {
      if (typeof fn === "function" && !found.has(fn)) found.set(fn, [`${key}.prototype.${method}`, 3]);
    }
  }
  return [...found].map(([fn, [name]]) => [name, fn]);
}

/** The exports of the listed node modules (`steps` 1), or functions one step inside them (`steps` 2). */
export function moduleBuiltIns(steps: 1 | 2): BuiltIn[] {
  const found = new Map<Function, [string, number]>();
  for (const [name, namespace] of Object.entries(nodeModules)) twoSteps(namespace, name, found);
  return [...found].filter(([, [, depth]]) => depth === steps).map(([fn, [name]]) => [name, fn]);
}
