// Cross-cluster `access` (docs/elastic-api.md C.1) in one canonical form, shared by the inputs and by what refresh
// reads back (C.3): names as sorted sets, `allowRestrictedIndices` defaulted to false, `query` as a compact JSON string
// with sorted keys, field lists sorted, entries sorted. Equal access therefore never shows as a diff, whatever the
// server adds.
import { z } from "zod";
import type { CrossClusterAccessWire } from "../../elastic/elasticsearch";
import { canonical } from "../../framework/lifecycle";
import { sortedSet } from "../shared/fields";

const fieldList = z.array(z.string().min(1, "must not contain an empty field name")).transform(sortedSet);

const indexNames = z
  .union([z.string(), z.array(z.string())], { error: "must be an index name or pattern, or a list of them" })
  .transform((n) => (typeof n === "string" ? [n] : n))
  .pipe(
    z
      .array(z.string().min(1, "must not contain an empty index name"))
      .min(1, "must list at least one index name or pattern (an empty list grants nothing)"),
  )
  .transform(sortedSet);

/** C.1: a query object, or a JSON string holding one; stored as compact JSON with sorted keys. */
const query = z
  .union([z.string(), z.record(z.string(), z.unknown())], { error: "must be a query object or a JSON string" })
  .transform((q, ctx) => {
    let parsed: unknown = q;
    if (typeof q === "string") {
      try {
        parsed = JSON.parse(q);
      } catch {
        parsed = undefined;
      }
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      ctx.issues.push({ code: "custom", input: q, message: "must be a query object or a JSON string holding one" });
      return z.NEVER;
    }
    return canonical(parsed);
  });

const fieldSecurity = z
  .object({
    grant: fieldList.describe("Fields the remote cluster may read (patterns allowed)."),
    except: fieldList.optional().describe("Fields excepted from `grant`."),
  })
  .strict()
  .meta({ title: "FieldSecurity" })
  .transform(({ grant, except }) => (except?.length ? { grant, except } : { grant }));

const DLS_FIELDS = ["query", "fieldSecurity"] as const;

const searchEntry = z
  .object({
    names: indexNames.describe("Index names or patterns the remote cluster may search: one, or a list."),
    query: query.optional().describe("A document-level security query: an object, or a JSON string holding one."),
    fieldSecurity: fieldSecurity.optional().describe("Field-level security: which fields may be read."),
    allowRestrictedIndices: z
      .boolean()
      .default(false)
      .describe("Whether the names may match restricted indices (such as .security)."),
  })
  .strict()
  .meta({ title: "CrossClusterSearch" })
  .transform((e) => ({
    names: e.names,
    allowRestrictedIndices: e.allowRestrictedIndices,
    ...(e.query !== undefined ? { query: e.query } : {}),
    ...(e.fieldSecurity !== undefined ? { fieldSecurity: e.fieldSecurity } : {}),
  }));

// `query`/`fieldSecurity` are accepted by the parser only to be refused with the server's reason (C.1).
const replicationEntry = z
  .object({
    names: indexNames.describe("Index names or patterns the remote cluster may replicate: one, or a list."),
    allowRestrictedIndices: z
      .boolean()
      .default(false)
      .describe("Whether the names may match restricted indices (such as .security)."),
    query: z.unknown().optional(),
    fieldSecurity: z.unknown().optional(),
  })
  .strict()
  .meta({ title: "CrossClusterReplication" })
  .superRefine((e, ctx) => {
    for (const field of DLS_FIELDS)
      if (e[field] !== undefined)
        ctx.addIssue({
          code: "custom",
          path: [field],
          message:
            "is not allowed in a replication entry: replication does not support document or field level security (remove it, or grant it in a search entry)",
        });
  })
  .transform((e) => ({ names: e.names, allowRestrictedIndices: e.allowRestrictedIndices }));

function sortedEntries<T>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => canonical(a).localeCompare(canonical(b)));
}

export const crossClusterAccess = z
  .object({
    search: z.array(searchEntry).optional().describe("Search access entries."),
    replication: z.array(replicationEntry).optional().describe("Replication access entries."),
  })
  .strict()
  .meta({ title: "CrossClusterAccess" })
  .superRefine((a, ctx) => {
    if (!a.search?.length && !a.replication?.length)
      ctx.addIssue({
        code: "custom",
        message: "must give at least one search or replication entry (an empty access grants nothing)",
      });
    // C.1 [ver 8.14+]: with replication assigned, search entries cannot carry DLS/FLS either.
    if (a.replication?.length)
      a.search?.forEach((entry, i) => {
        for (const field of DLS_FIELDS)
          if (entry[field] !== undefined)
            ctx.addIssue({
              code: "custom",
              path: ["search", i, field],
              message:
                "is not allowed while replication is also granted: search does not support document or field level security if replication is assigned (use a separate key for the filtered search access)",
            });
      });
  })
  .transform((a) => ({ search: sortedEntries(a.search ?? []), replication: sortedEntries(a.replication ?? []) }));

export type CrossClusterAccess = z.infer<typeof crossClusterAccess>;

/** The request body form (C.1). */
export function accessToWire(access: CrossClusterAccess): CrossClusterAccessWire {
  const wire: CrossClusterAccessWire = {};
  if (access.search.length)
    wire.search = access.search.map((e) => ({
      names: e.names,
      allow_restricted_indices: e.allowRestrictedIndices,
      ...(e.query !== undefined ? { query: JSON.parse(e.query) as Record<string, unknown> } : {}),
      ...(e.fieldSecurity !== undefined ? { field_security: e.fieldSecurity } : {}),
    }));
  if (access.replication.length)
    wire.replication = access.replication.map((e) => ({
      names: e.names,
      allow_restricted_indices: e.allowRestrictedIndices,
    }));
  return wire;
}

/**
 * What refresh reads back (C.3), in the same canonical form as the inputs. Should the server hold something the
 * inputs cannot express, the raw mapping is returned instead, so it still shows as a diff that `up` repairs.
 */
export function accessFromWire(wire: CrossClusterAccessWire): CrossClusterAccess {
  const raw = {
    ...(wire.search
      ? {
          search: wire.search.map((e) => ({
            names: e.names,
            allowRestrictedIndices: e.allow_restricted_indices ?? false,
            ...(e.query !== undefined ? { query: e.query } : {}),
            ...(e.field_security !== undefined ? { fieldSecurity: e.field_security } : {}),
          })),
        }
      : {}),
    ...(wire.replication
      ? {
          replication: wire.replication.map((e) => ({
            names: e.names,
            allowRestrictedIndices: e.allow_restricted_indices ?? false,
          })),
        }
      : {}),
  };
  const parsed = crossClusterAccess.safeParse(raw);
  return parsed.success ? parsed.data : (raw as CrossClusterAccess);
}
