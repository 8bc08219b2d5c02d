/**
 * handouts/m4.md#reconfiguration under rendezvous hashing: 10 joins and 10 leaves of a
 * 10-member group holding 10,000 keys, through the real reconfigure
 * (./_movement.ts). Each moves exactly the keys whose owner changed, to
 * their new owner, and says so; every key is still found; and on average a
 * step moves at most 1.1 × K/N keys.
 */
import { movementTests } from "./_movement.ts";

movementTests("rendezvous hashing", { scheme: "rendezvous" });
