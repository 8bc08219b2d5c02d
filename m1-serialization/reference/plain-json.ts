/**
 * The fast path. Most values nodes exchange are plain data: objects, arrays,
 * strings, finite numbers, booleans and null. JSON represents those exactly,
 * and the runtime's native JSON is far faster than any encoder written in
 * JavaScript, so such values are sent as plain JSON.
 *
 * JSON is exact only if every object is plain and reached once (JSON would
 * copy a shared object and reject a cycle), every array is dense with no extra
 * properties, no number is NaN, ±Infinity or -0, and the nesting is shallow
 * enough for JSON.stringify's recursion. This check walks the value once and
 * gives up at the first thing JSON cannot carry.
 */

/**
 * Nesting beyond this goes to the graph encoder, which has no depth limit.
 * It also bounds this check's recursion, which is faster than an explicit
 * stack and, 1,000 frames deep, safe on every runtime.
 */
const maxDepth = 1000;

/** Whether `JSON.parse(JSON.stringify(value))` would rebuild `value` exactly. */
export function isPlainJson(value: unknown): boolean {
  return isJsonLeaf(value) || isPlainTree(value, new Set(), 0);
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

/** Whether a value is a plain object or dense array, reached once, of plain contents. */
function isPlainTree(value: unknown, seen: Set<object>, depth: number): boolean {
  if (typeof value !== "object" || value === null || depth > maxDepth || seen.has(value)) return false;
  seen.add(value);
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype) {
    // for…in is the fastest way to read an object's values. It would also
    // list inherited enumerable properties, which plain objects only have
    // if Object.prototype was tampered with; those make the check stricter.
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key];
      if (!isJsonLeaf(child) && !isPlainTree(child, seen, depth + 1)) return false;
    }
    return true;
  }
  if (proto !== Array.prototype) return false;
  const array = value as unknown[];
  for (let i = 0; i < array.length; i++) {
    const child = array[i];
    if (!isJsonLeaf(child) && !isPlainTree(child, seen, depth + 1)) return false;
  }
  // A hole reads as undefined and failed above. With no holes, Object.values
  // lists exactly the elements unless there are extra properties; unlike
  // Object.keys, it does not first turn a million indices into strings.
  return Object.values(array).length === array.length;
}
