// The shape `access` is stored and read back in (SPEC R3), as the outputs declare it: names always a list,
// `allowRestrictedIndices` always set, `query` a compact JSON string.
import { z } from "zod";

const fieldSecurity = z
  .object({
    grant: z.array(z.string()).describe("Fields the remote cluster may read."),
    except: z.array(z.string()).optional().describe("Fields excepted from `grant`."),
  })
  .meta({ title: "FieldSecurity" });

const search = z
  .object({
    names: z.array(z.string()).describe("Index names or patterns, sorted."),
    query: z.string().optional().describe("A document-level security query, as compact JSON with sorted keys."),
    fieldSecurity: fieldSecurity.optional().describe("Field-level security."),
    allowRestrictedIndices: z.boolean().describe("Whether the patterns may match restricted indices."),
  })
  .meta({ title: "CrossClusterSearch" });

const replication = z
  .object({
    names: z.array(z.string()).describe("Index names or patterns, sorted."),
    allowRestrictedIndices: z.boolean().describe("Whether the patterns may match restricted indices."),
  })
  .meta({ title: "CrossClusterReplication" });

export const crossClusterAccessReadBack = z
  .object({
    search: z.array(search).describe("Search access, sorted."),
    replication: z.array(replication).describe("Replication access, sorted."),
  })
  .meta({ title: "CrossClusterAccess" });
