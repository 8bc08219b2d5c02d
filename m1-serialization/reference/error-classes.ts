/**
 * The built-in error classes, which travel by name. An error of any other
 * class (a user's `class NotFound extends Error`) arrives as an instance of its
 * nearest built-in ancestor, keeping its `name`.
 */
export const errorClasses: ReadonlyMap<string, ErrorConstructor | AggregateErrorConstructor> =
  new Map<string, ErrorConstructor | AggregateErrorConstructor>([
    ["Error", Error],
    ["EvalError", EvalError],
    ["RangeError", RangeError],
    ["ReferenceError", ReferenceError],
    ["SyntaxError", SyntaxError],
    ["TypeError", TypeError],
    ["URIError", URIError],
    ["AggregateError", AggregateError],
  ]);

/** The fields of an error that are kept even though they are not enumerable. */
export const errorFields = ["name", "message", "stack", "cause", "errors"] as const;

/** The nearest built-in class on an error's prototype chain. */
export function builtInErrorClass(error: Error): string {
  for (let proto = Object.getPrototypeOf(error); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const name = Object.hasOwn(proto, "constructor") ? proto.constructor?.name : undefined;
    if (errorClasses.get(name)?.prototype === proto) return name;
  }
  return "Error";
}

/** A new, empty error of a built-in class: no own message, stack or cause. */
export function emptyError(className: string): Error {
  const ErrorClass = errorClasses.get(className);
  if (ErrorClass === undefined) throw new RangeError(`unknown error class "${className}"`);
  const error = ErrorClass === AggregateError ? new AggregateError([]) : new (ErrorClass as ErrorConstructor)();
  for (const field of errorFields) delete (error as unknown as Record<string, unknown>)[field];
  return error;
}
