/**
 * The services a node runs, by group and name, each with its mailbox. This is
 * the node's routing table: the dispatcher looks requests up here, and the
 * `routes` service edits it.
 */
import type { Service, ServiceOptions } from "../api.ts";
import { Mailbox } from "./mailbox.ts";

export interface ServiceEntry {
  service: Service;
  mode: "actor" | "concurrent";
  mailbox: Mailbox;
  /**
   * Whether its methods run inside the node's context (current-node.ts), so
   * that the RPC stubs they call know their node. Only the node's own status
   * and routes, which call no stub, go without: on Node 20 the context makes
   * every promise in the process cost more, so a node that serves only those
   * never pays for it.
   */
  inContext: boolean;
}

export const defaultGroup = "local";

export class ServiceTable {
  #groups = new Map<string, Map<string, ServiceEntry>>();

  put(service: Service, name: string, options: ServiceOptions = {}, inContext = true): void {
    const gid = options.gid ?? defaultGroup;
    if (typeof service !== "object" || service === null) {
      throw new TypeError(`Cannot register service "${name}": expected an object of methods`);
    }
    let group = this.#groups.get(gid);
    if (group === undefined) this.#groups.set(gid, (group = new Map()));
    group.set(name, { service, mode: options.mode ?? "actor", mailbox: new Mailbox(), inContext });
  }

  get(name: string, gid = defaultGroup): ServiceEntry | undefined {
    return this.#groups.get(gid)?.get(name);
  }

  rem(name: string, gid = defaultGroup): ServiceEntry | undefined {
    const entry = this.get(name, gid);
    this.#groups.get(gid)?.delete(name);
    return entry;
  }
}
