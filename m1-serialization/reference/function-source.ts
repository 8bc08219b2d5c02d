/**
 * Functions travel as their source text and are re-created, at global scope,
 * from it. Variables the function captured from enclosing scopes do not
 * travel: after a round trip they are looked up as globals.
 *
 * One runtime difference lives here: under tsx (esbuild), `fn.toString()`
 * shows compiled code in which inner named functions are wrapped as
 * `__name(fn, "name")`. The helper is supplied, so such sources re-create.
 */

function keepName<F extends Function>(fn: F, name: string): F {
  return Object.defineProperty(fn, "name", { value: name, configurable: true });
}

function evaluate(expression: string): unknown {
  return new Function("__name", `return (${expression}\n);`)(keepName);
}

/**
 * Re-creates a function from its source: a function or class expression, an
 * arrow function, or a method (`run(x) { … }`, `get size() { … }`), as
 * `Function.prototype.toString` prints them.
 *
 * @throws SyntaxError when the source does not parse.
 * @throws TypeError when it parses but is not a function.
 */
export function functionFromSource(source: string): Function {
  let value: unknown;
  try {
    value = evaluate(source);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const holder = evaluate(`{ ${source}\n}`) as object;
    const [key] = Reflect.ownKeys(holder);
    const property = key === undefined ? undefined : Object.getOwnPropertyDescriptor(holder, key);
    value = property?.value ?? property?.get ?? property?.set;
  }
  if (typeof value !== "function") throw new TypeError("the source is not a function");
  return value;
}

/** Whether a function's source is hidden by the runtime (native or bound functions). */
export function isNativeSource(source: string): boolean {
  return /\{\s*\[native code\]\s*\}$/.test(source);
}
