/** routes: registers, looks up and removes a node's services. */
import type { Routes } from "../api.ts";
import type { ServiceTable } from "./service-table.ts";

export function routesService(table: ServiceTable): Routes {
  return {
    put: async (service, name, options) => table.put(service, name, options),
    get: async (name, options = {}) => table.get(name, options.gid)?.service,
    rem: async (name, options = {}) => table.rem(name, options.gid)?.service,
  };
}
