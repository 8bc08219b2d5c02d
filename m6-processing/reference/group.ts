/**
 * The members of an engine's group, as the node that runs a step sees
 * them: calls to every member's engine service at once, reads of keys
 * grouped by owner (one call per member), and views of the engine's stores
 * (set by the steps that write them; a search reads members' own stores
 * through the engine service, and needs none).
 */
import type { NodeAddress } from "../api.ts";
import type * as M5 from "../../m5-mapreduce/api.ts";
import { m2, m4 } from "../deps.ts";
import { engineServiceName, type Stores, storesOf } from "./stores.ts";

export class Group {
  readonly node: M5.MapReduceNode;
  readonly gid: string;
  readonly members: NodeAddress[];
  readonly ids: string[];
  readonly stores: Stores;

  private constructor(node: M5.MapReduceNode, gid: string, members: NodeAddress[]) {
    this.node = node;
    this.gid = gid;
    this.members = members;
    this.ids = members.map((member) => m2.nodeId(member));
    this.stores = storesOf(gid);
  }

  /**
   * The group as this node's view has it.
   *
   * @throws RangeError when this node knows no members of the group
   */
  static async of(node: M5.MapReduceNode, gid: string): Promise<Group> {
    const members = (await node.groups.get(gid)) ?? [];
    if (members.length === 0) throw new RangeError(`Cannot use group "${gid}": this node knows no members of it`);
    return new Group(node, gid, members);
  }

  /** Sets every store's view to the members, on this node and on every member, so that `node.store(…)` finds the engine's data anywhere. */
  async setViews(): Promise<void> {
    for (const store of Object.values(this.stores)) {
      await this.node.groups.put(store, this.members);
      const views = await this.node.group(this.gid).groups.put(store, this.members);
      const [failed] = views.errors;
      if (failed !== undefined) throw failed[1];
    }
  }

  /** Calls a method of every member's engine service at once; the answers, in the members' order. */
  everyMember<T>(method: string, args: unknown[]): Promise<T[]> {
    return Promise.all(this.members.map((member) => this.call<T>(member, method, args)));
  }

  call<T>(member: NodeAddress, method: string, args: unknown[]): Promise<T> {
    return this.node.comm.send(args, { node: member, service: engineServiceName, method }) as Promise<T>;
  }

  /** The member that owns a key of the engine's stores. */
  ownerOf(key: string): NodeAddress {
    return this.members[this.ids.indexOf(m4.owner(key, this.ids))] as NodeAddress;
  }

  /**
   * The values at keys of the engine's stores, each a [store, key] pair, from
   * their owners, one call per member; in the same order, undefined where none.
   */
  read<T>(wanted: ReadonlyArray<readonly [ns: string, key: string]>): Promise<Array<T | undefined>> {
    return this.perOwner<readonly [string, string], T>("read", wanted, ([, key]) => key, []);
  }

  /**
   * Calls `method(owned, ...args)` of each member that owns some of the
   * items (by `keyOf`), with the items it owns, one call per member; each
   * answer is a list, one value per item, and the result lists every item's
   * value, in the items' order (an item listed twice is asked for twice).
   */
  async perOwner<I, T>(method: string, items: readonly I[], keyOf: (item: I) => string, args: unknown[]): Promise<Array<T | undefined>> {
    const byOwner = new Map<NodeAddress, number[]>();
    items.forEach((item, at) => {
      const owner = this.ownerOf(keyOf(item));
      const owned = byOwner.get(owner);
      if (owned === undefined) byOwner.set(owner, [at]);
      else owned.push(at);
    });
    const values = new Array<T | undefined>(items.length);
    await Promise.all([...byOwner].map(async ([owner, owned]) => {
      const found = await this.call<Array<T | undefined>>(owner, method, [owned.map((at) => items[at]), ...args]);
      owned.forEach((at, i) => (values[at] = found[i]));
    }));
    return values;
  }

  /** Removes every key of the stores named, on every member. */
  async clear(...namespaces: string[]): Promise<void> {
    for (const ns of namespaces) await this.everyMember("clear", [ns]);
  }
}
