/**
 * Binary values: ArrayBuffer, the typed arrays, Buffer and DataView. Each view
 * travels with its own bytes (base64) and arrives on a fresh ArrayBuffer of
 * its own: two views that shared one buffer no longer share it.
 */
import { Buffer } from "node:buffer";

type View = ArrayBufferView;
type ViewClass = { readonly prototype: View; BYTES_PER_ELEMENT?: number };

/** The view classes that travel, by name. */
export const viewClasses: ReadonlyMap<string, ViewClass> = new Map<string, ViewClass>([
  ["Buffer", Buffer],
  ["Int8Array", Int8Array],
  ["Uint8Array", Uint8Array],
  ["Uint8ClampedArray", Uint8ClampedArray],
  ["Int16Array", Int16Array],
  ["Uint16Array", Uint16Array],
  ["Int32Array", Int32Array],
  ["Uint32Array", Uint32Array],
  ["Float32Array", Float32Array],
  ["Float64Array", Float64Array],
  ["BigInt64Array", BigInt64Array],
  ["BigUint64Array", BigUint64Array],
  ["DataView", DataView],
]);

const viewNames = new Map<object, string>([...viewClasses].map(([name, cls]) => [cls.prototype, name]));

/** The name of a view's class, or undefined for a class that does not travel. */
export function viewClassName(view: View): string | undefined {
  return viewNames.get(Object.getPrototypeOf(view));
}

/** The bytes a view covers, as base64. */
export function viewToBase64(view: View): string {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString("base64");
}

/** An ArrayBuffer's bytes, as base64. */
export function bufferToBase64(buffer: ArrayBuffer): string {
  return Buffer.from(buffer).toString("base64");
}

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A fresh ArrayBuffer holding the bytes of a base64 text.
 *
 * @throws RangeError when the text is not canonical base64.
 */
export function base64ToBuffer(text: string): ArrayBuffer {
  if (!base64Pattern.test(text)) throw new RangeError("bytes are not valid base64");
  const bytes = Buffer.from(text, "base64");
  const buffer = new ArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  return buffer;
}

/**
 * A view of the named class over its own copy of the bytes.
 *
 * @throws RangeError for an unknown class or a byte count the class cannot hold.
 */
export function viewFromBase64(className: string, text: string): View {
  const ViewClass = viewClasses.get(className);
  if (ViewClass === undefined) throw new RangeError(`unknown view class "${className}"`);
  const buffer = base64ToBuffer(text);
  if (ViewClass === Buffer) return Buffer.from(buffer);
  if (buffer.byteLength % (ViewClass.BYTES_PER_ELEMENT ?? 1) !== 0) {
    throw new RangeError(`${buffer.byteLength} bytes do not fit a ${className}`);
  }
  return new (ViewClass as unknown as new (buffer: ArrayBuffer) => View)(buffer);
}
