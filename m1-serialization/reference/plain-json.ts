/**
 * The fast path. Most values nodes exchange are plain data: objects, arrays,
 * strings, finite numbers, booleans and null. JSON represents those exactly,
 * and the runtime's native JSON is far faster than any encoder written in
 * JavaScript, so such values are sent as plain JSON.
 *
 * JSON is exact only if every object is plain and reached once (JSON would
 * copy a shared object and reject a cycle), every array is dense with no extra
 * properties, no number is NaN, ±Infinity or -0, and the nesting is shallow
 * enough for JSON.stringify's recursion. This check walks the value once,
 * iteratively, and gives up at the first thing JSON cannot carry.
 */

/** Nesting beyond this goes to the graph encoder, which has no depth limit. */
const maxDepth = 1000;

/** Whether `JSON.parse(JSON.stringify(value))` would rebuild `value` exactly. */
export function isPlainJson(value: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  const depths: number[] = [0];
  while (stack.length > 0) {
    const current = stack.pop();
    const depth = depths.pop() as number;
    if (isJsonLeaf(current)) continue;
    if (typeof current !== "object" || current === null || depth > maxDepth || seen.has(current)) return false;
    seen.add(current);
    const children = plainChildren(current);
    if (children === undefined) return false;
    for (let i = 0; i < children.length; i++) {
      if (isJsonLeaf(children[i])) continue;
      stack.push(children[i]);
      depths.push(depth + 1);
    }
  }
  return true;
}

function isJsonLeaf(value: unknown): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && (value !== 0 || 1 / value > 0);
    default:
      return value === null;
  }
}

/** The values inside a plain object or a dense plain array, else undefined. */
function plainChildren(object: object): unknown[] | undefined {
  const proto = Object.getPrototypeOf(object);
  if (proto === Object.prototype) return Object.values(object);
  if (proto !== Array.prototype) return undefined;
  const array = object as unknown[];
  // A hole reads as undefined, which JSON cannot carry anyway. With no holes,
  // Object.values lists exactly the elements unless there are extra
  // properties; unlike Object.keys it does not turn a million indices into
  // strings first.
  for (let i = 0; i < array.length; i++) {
    if (array[i] === undefined) return undefined;
  }
  return Object.values(array).length === array.length ? array : undefined;
}
