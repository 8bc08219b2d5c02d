/**
 * This node's views of its groups: for each group id, its members. A member
 * is an address; two addresses are the same member when ip and port match.
 */
import type { Groups, NodeAddress } from "../api.ts";

const same = (a: NodeAddress, b: NodeAddress) => a.ip === b.ip && a.port === b.port;

export class GroupTable implements Groups {
  #groups = new Map<string, NodeAddress[]>();

  /** The members right now (synchronous, for the node's own services). */
  members(gid: string): NodeAddress[] | undefined {
    return this.#groups.get(gid);
  }

  async put(gid: string, members: NodeAddress[]): Promise<void> {
    const unique: NodeAddress[] = [];
    for (const { ip, port } of members) if (!unique.some((known) => same(known, { ip, port }))) unique.push({ ip, port });
    this.#groups.set(gid, unique);
  }

  async get(gid: string): Promise<NodeAddress[] | undefined> {
    const members = this.#groups.get(gid);
    return members === undefined ? undefined : [...members];
  }

  async add(gid: string, member: NodeAddress): Promise<void> {
    await this.put(gid, [...(this.#groups.get(gid) ?? []), member]);
  }

  async rem(gid: string, member: NodeAddress): Promise<void> {
    const members = this.#groups.get(gid);
    if (members !== undefined) this.#groups.set(gid, members.filter((known) => !same(known, member)));
  }

  async del(gid: string): Promise<NodeAddress[] | undefined> {
    const members = this.#groups.get(gid);
    this.#groups.delete(gid);
    return members;
  }
}
