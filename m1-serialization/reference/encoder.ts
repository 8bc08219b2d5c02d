/**
 * The graph encoder (format.ts). It walks the value iteratively, so depth is
 * limited by memory, not by the call stack: each value gets an index the first
 * time it is reached, and each container is described once, after the walk
 * reaches it, with its children as indices.
 */
import { EncodeError } from "../../autograder/kit/errors.ts";
import { bufferToBase64, viewClassName, viewToBase64 } from "./binary.ts";
import { builtInName } from "./builtins.ts";
import { builtInErrorClass, errorFields } from "./error-classes.ts";
import { graphMarker, specialNumberName } from "./format.ts";
import { isNativeSource } from "./function-source.ts";

type Ref = (value: unknown) => number;
type Describe = (value: never, ref: Ref) => unknown[];

/** How each kind of container becomes a node, by prototype. */
const describers = new Map<object | null, Describe>([
  [Object.prototype, (object: object, ref) => ["o", ...properties(object, ref)]],
  [null, (object: object, ref) => ["O", ...properties(object, ref)]],
  [Array.prototype, describeArray],
  [Map.prototype, (map: Map<unknown, unknown>, ref) => {
    const node: unknown[] = ["M"];
    for (const [key, value] of map) node.push(ref(key), ref(value));
    return node;
  }],
  [Set.prototype, (set: Set<unknown>, ref) => ["S", ...Array.from(set, ref)]],
  [Date.prototype, (date: Date) => ["D", Number.isNaN(date.getTime()) ? null : date.getTime()]],
  [RegExp.prototype, (regexp: RegExp) => ["R", regexp.source, regexp.flags, regexp.lastIndex]],
  [ArrayBuffer.prototype, (buffer: ArrayBuffer) => ["B", bufferToBase64(buffer)]],
]);

/** Encodes any supported value as a graph serialization. */
export function encodeGraph(root: unknown): string {
  const nodes: unknown[] = [];
  const indices = new Map<unknown, number>();
  const pending: Array<[value: object, index: number]> = [];
  let negativeZero: number | undefined;

  const ref: Ref = (value) => {
    // A Map key cannot tell -0 from 0, so -0 gets a node of its own.
  if (Object.is(value, -0)) return (negativeZero ??= nodes.push(primitiveNode(value)) - 1);
    let index = indices.get(value);
    if (index === undefined) {
      index = nodes.push(null) - 1;
      indices.set(value, index);
      if ((typeof value === "object" && value !== null) || typeof value === "function") {
        pending.push([value, index]);
      } else {
        nodes[index] = primitiveNode(value);
      }
    }
    return index;
  };

  ref(root);
  while (pending.length > 0) {
    const [value, index] = pending.pop() as [object, number];
    nodes[index] = describe(value, ref);
  }
  return graphMarker + JSON.stringify(nodes);
}

function primitiveNode(value: unknown): unknown {
  switch (typeof value) {
    case "undefined":
      return ["u"];
    case "number":
      return specialNumberName(value) === undefined ? value : ["n", specialNumberName(value)];
    case "bigint":
      return ["b", value.toString(16)];
    case "symbol":
      return symbolNode(value);
    default:
      return value;
  }
}

function symbolNode(symbol: symbol): unknown[] {
  const key = Symbol.keyFor(symbol);
  if (key !== undefined) return ["y", key];
  const wellKnown = Object.getOwnPropertyNames(Symbol).find(
    (name) => (Symbol as unknown as Record<string, unknown>)[name] === symbol,
  );
  if (wellKnown !== undefined) return ["w", wellKnown];
  throw new EncodeError(`Cannot serialize ${String(symbol)}: only registered and well-known symbols travel`);
}

function describe(value: object, ref: Ref): unknown[] {
  if (typeof value === "function") return describeFunction(value);
  const describer = describers.get(Object.getPrototypeOf(value));
  if (describer !== undefined) return describer(value as never, ref);
  if (value instanceof Error) return describeError(value, ref);
  if (ArrayBuffer.isView(value)) return describeView(value);
  const kind = value.constructor?.name || "object";
  throw new EncodeError(`Cannot serialize ${kind} instance: it is not a supported type (see handouts/m1.md#values)`);
}

/** A plain object's own enumerable string-keyed properties, as key, ref pairs. */
function properties(object: object, ref: Ref): unknown[] {
  const pairs: unknown[] = [];
  for (const key of Object.keys(object)) pairs.push(key, ref((object as Record<string, unknown>)[key]));
  return pairs;
}

function describeArray(array: unknown[], ref: Ref): unknown[] {
  const keys = Object.keys(array);
  // Keys list indices in ascending order before other names, so `length`
  // keys ending with the last index are exactly the indices: a dense array.
  const dense = keys.length === array.length && (array.length === 0 || keys[array.length - 1] === String(array.length - 1));
  if (dense) return ["a", ...array.map((element) => ref(element))];
  return ["A", array.length, ...properties(array, ref)];
}

/**
 * An error's node: its built-in class, how many of the pairs that follow are
 * hidden (not enumerable: message, stack, cause and errors as the runtime
 * makes them, and a name its class gives), then the pairs. Fields someone
 * assigned (`error.name = "NotFound"`, `error.code = 42`) are enumerable.
 */
function describeError(error: Error, ref: Ref): unknown[] {
  const className = builtInErrorClass(error);
  const hidden: string[] = errorFields.filter((field) => Object.hasOwn(error, field) && !Object.prototype.propertyIsEnumerable.call(error, field));
  if (!Object.hasOwn(error, "name") && error.name !== className) hidden.unshift("name");
  const node: unknown[] = ["E", className, hidden.length];
  for (const key of [...hidden, ...Object.keys(error)]) {
    node.push(key, ref((error as unknown as Record<string, unknown>)[key]));
  }
  return node;
}

function describeView(view: ArrayBufferView): unknown[] {
  const className = viewClassName(view);
  if (className === undefined) {
    throw new EncodeError(`Cannot serialize ${view.constructor.name}: it is not a supported binary type`);
  }
  return ["T", className, viewToBase64(view)];
}

function describeFunction(fn: Function): unknown[] {
  const name = builtInName(fn);
  if (name !== undefined) return ["f", name];
  const source = Function.prototype.toString.call(fn);
  if (isNativeSource(source)) {
    throw new EncodeError(
      `Cannot serialize function ${fn.name || "(anonymous)"}: its source is hidden (a bound or unknown native function)`,
    );
  }
  return ["F", source];
}
