/**
 * One way to build a node on the previous milestone's: every field of the
 * earlier node, plus this milestone's fields, with its services registered
 * on the node, and a `stop` that also closes what the new parts hold.
 *
 * The earlier node may be a plain object or a class instance (a student's
 * own): its fields are read once, along its prototype chain, and its methods
 * stay bound to it, so `this` inside them is still the earlier node.
 *
 * @example
 * const node = await m2.startNode(config);
 * return extendNode(node, {
 *   fields: { groups: table, group: (gid: string) => groupHandle(node, table, gid) },
 *   services: { groups: table },
 *   stop: () => membership.stopAll(),
 * });
 */

/** What this helper needs of the earlier node. */
export interface ExtensibleNode {
  routes: { put(service: object, name: string, options?: { mode?: "actor" | "concurrent" }): Promise<void> };
  stop(): Promise<void>;
}

/** What a milestone adds to the node it builds on. */
export interface Extension<Fields extends object> {
  /** The new fields; a field of the earlier node's name is replaced. */
  fields: Fields;
  /**
   * Services to register, by name. They are registered concurrent: they
   * take every message at once (an actor service is registered with
   * `routes.put` directly).
   */
  services?: Record<string, object>;
  /** What stopping the node must also close; it runs before the earlier node stops. */
  stop?: () => void | Promise<void>;
}

/** The fields of a node, own and inherited (not Object's), methods bound to it. */
function fieldsOf(node: object): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (let layer: object | null = node; layer !== null && layer !== Object.prototype; layer = Object.getPrototypeOf(layer)) {
    for (const name of Object.getOwnPropertyNames(layer)) {
      if (name === "constructor" || Object.hasOwn(fields, name)) continue;
      const value: unknown = Reflect.get(node, name);
      fields[name] = typeof value === "function" ? value.bind(node) : value;
    }
  }
  return fields;
}

/**
 * The earlier node with a milestone's fields and services added.
 *
 * @param node the node of the previous milestone, running
 * @param extension the fields, services and extra cleanup this milestone adds
 * @returns a new object: the earlier node's fields, the new ones, and a `stop` that closes both (twice is harmless)
 * @throws what registering a service throws
 */
export async function extendNode<Node extends ExtensibleNode, Fields extends object>(
  node: Node,
  extension: Extension<Fields>,
): Promise<Omit<Node, keyof Fields> & Fields> {
  for (const [name, service] of Object.entries(extension.services ?? {})) {
    await node.routes.put(service, name, { mode: "concurrent" });
  }
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      try {
        await extension.stop?.();
      } finally {
        await node.stop();
      }
    })());
  return { ...fieldsOf(node), ...extension.fields, stop } as Omit<Node, keyof Fields> & Fields;
}
