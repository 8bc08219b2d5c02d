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
}

export const defaultGroup = "local";

export class ServiceTable {
  #groups = new Map<string, Map<string, ServiceEntry>>();

  put(service: Service, name: string, options: ServiceOptions = {}): void {
    const gid = options.gid ?? defaultGroup;
    if (typeof service !== "object" || service === null) {
      throw new TypeError(`Cannot register service "${name}": expected an object of methods`);
    }
    let group = this.#groups.get(gid);
    if (group === undefined) this.#groups.set(gid, (group = new Map()));
    group.set(name, { service, mode: options.mode ?? "actor", mailbox: new Mailbox() });
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
