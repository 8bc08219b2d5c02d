/**
 * Built-in functions travel by name: `console.log` is sent as the text
 * "console.log" and the receiver looks that name up in its own runtime, so it
 * gets its own, identical `console.log` back.
 *
 * The names are paths from a fixed set of roots: the node: modules listed
 * below (first, so "crypto.randomUUID" is node:crypto's), then the global
 * object. A path goes at most two properties deep
 * ("Math.max", "fs.readFile"), or three through a prototype
 * ("Array.prototype.push"). Modules define some exports as getters that load
 * them on first use; the getters of a module's exports (and of their own
 * exports, like fs.promises.readFile) are read. Others are not: on the global
 * object or a prototype, a getter may warn, start a subsystem, or need a real
 * `this`. The first path found for a function is its name.
 */
const moduleNames = [
  "assert", "buffer", "child_process", "crypto", "dns", "events", "fs", "fs/promises", "http", "https",
  "net", "os", "path", "querystring", "stream", "timers", "url", "util", "zlib",
];

/**
 * Each module twice: its default export (the same object on every runtime),
 * then its namespace, for the exports some runtimes give only there (Deno's
 * path.common).
 */
const modules: ReadonlyArray<readonly [string, object]> = (await Promise.all(moduleNames.map(async (name) => {
  const namespace = (await import(`node:${name}`)) as { default?: object };
  return [[name, namespace.default ?? namespace], [name, namespace]] as const;
}))).flat();

interface Registry {
  byName: Map<string, Function>;
  byFunction: Map<Function, string>;
}

let registry: Registry | undefined;

function build(): Registry {
  const byName = new Map<string, Function>();
  const byFunction = new Map<Function, string>();
  const visited = new Set<object>();
  const queue: Array<[name: string, value: object, depth: number, inModule: boolean]> = [
    ...modules.map(([name, root]) => [name, root, 0, true] as [string, object, number, boolean]),
    ["", globalThis, 0, false],
  ];
  for (let head = 0; head < queue.length; head++) {
    const [name, value, depth, inModule] = queue[head] as [string, object, number, boolean];
    if (visited.has(value)) continue;
    visited.add(value);
    if (typeof value === "function" && !byFunction.has(value)) {
      byFunction.set(value, name);
      byName.set(name, value);
    }
    const expand = depth < 2 || (depth === 2 && name.endsWith(".prototype"));
    if (!expand) continue;
    for (const key of Object.getOwnPropertyNames(value)) {
      const child = read(value, key, inModule && depth <= 1 && !name.endsWith(".prototype"));
      if ((typeof child === "object" && child !== null) || typeof child === "function") {
        queue.push([name === "" ? key : `${name}.${key}`, child, depth + 1, inModule]);
      }
    }
  }
  return { byName, byFunction };
}

/** A property's value: a data property's, or, inside a module, a getter's; never throws. */
function read(object: object, key: string, callGetters: boolean): unknown {
  try {
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    return descriptor?.get !== undefined && callGetters ? descriptor.get.call(object) : descriptor?.value;
  } catch {
    return undefined;
  }
}

function table(): Registry {
  registry ??= build();
  return registry;
}

/** The name of a built-in function, or undefined for any other function. */
export function builtInName(fn: Function): string | undefined {
  return table().byFunction.get(fn);
}

/** The built-in function of that name, or undefined. */
export function builtInByName(name: string): Function | undefined {
  return table().byName.get(name);
}
