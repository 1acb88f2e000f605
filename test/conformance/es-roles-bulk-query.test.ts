// Bulk roles and the role query. Upstream: elastic/elasticsearch
// x-pack/plugin/src/yamlRestTest/resources/rest-api-spec/test/roles/60_bulk_roles.yml (ported), x-pack/plugin/security/
// src/main/java/org/elasticsearch/xpack/security/rest/action/role/RestBulkDeleteRolesAction.java and
// RestQueryRoleAction.java, x-pack/plugin/core/.../action/role/BulkPutRoleRequestBuilder.java (parser),
// BulkPutRolesRequest.java (validation per role, for partial success) and BulkRolesResponse.java (created, updated,
// deleted, not_found, errors), and x-pack/plugin/security/.../support/FieldNameTranslators.java (queryable fields).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { Harness, Reply, startHarness, userWithRole } from "../support/conformance";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.admin.reset());
afterAll(() => h.emulator.stop());

const roleNames = (r: Reply): string[] =>
  Array.from({ length: r.body.roles.length }, (_, i) => String(r.body.roles[i].name));

describe("bulk roles (roles/60_bulk_roles.yml)", () => {
  test("bulk put, get, query, bulk delete", async () => {
    await h.es.put("/_security/user/joe", { password: "s3krit-password", roles: ["admin_role"] });
    const joe = { username: "joe", password: "s3krit-password" };
    const put = await h.es.post("/_security/role", {
      roles: {
        admin_role: {
          cluster: ["all"],
          metadata: { key1: "val1", key2: "val2" },
          indices: [{ names: "*", privileges: ["all"] }],
        },
        role_with_description: {
          description:
            "Allows all security-related operations such as CRUD operations on users and roles and cache clearing.",
          cluster: ["manage_security"],
        },
      },
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ created: ["admin_role", "role_with_description"] });
    const admin = (await h.es.get("/_security/role/admin_role", { auth: joe })).body.admin_role;
    expect(admin.cluster[0]).toBe("all");
    expect(admin.metadata).toEqual({ key1: "val1", key2: "val2" });
    expect(admin.indices[0].names[0]).toBe("*");
    const query = await h.es.post(
      "/_security/_query/role",
      { query: { bool: { must_not: { term: { "metadata._reserved": true } } } } },
      { auth: joe },
    );
    expect(query.status).toBe(200);
    expect(query.body.total).toBe(2);
    expect(query.body.count).toBe(2);
    expect(roleNames(query)).toEqual(["admin_role", "role_with_description"]);
    const del = await h.es.delete("/_security/role", { names: ["admin_role", "role_with_description"] });
    expect(del.body).toEqual({ deleted: ["admin_role", "role_with_description"] });
  });

  test("bulk put reports each role: created, updated, or an error that leaves the others stored", async () => {
    await h.es.put("/_security/role/existing", { cluster: ["monitor"] });
    const r = await h.es.post("/_security/role", {
      roles: {
        existing: { cluster: ["manage"] },
        fresh: { cluster: [] },
        bad_privilege: { cluster: ["foo"] },
        superuser: { cluster: [] },
        dls: {
          indices: [
            { names: ["x"], privileges: ["read"], query: { terms: { f: { index: "i", id: "1", path: "p" } } } },
          ],
        },
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.created).toEqual(["fresh"]);
    expect(r.body.updated).toEqual(["existing"]);
    expect(r.body.errors.count).toBe(3);
    expect(r.body.errors.details.bad_privilege.type).toBe("action_request_validation_exception");
    expect(r.body.errors.details.bad_privilege.reason).toContain("unknown cluster privilege [foo]");
    expect(r.body.errors.details.superuser.reason).toBe(
      "Validation Failed: 1: Role [superuser] is reserved and may not be used.;",
    );
    expect(r.body.errors.details.dls.type).toBe("parse_exception");
    expect((await h.es.get("/_security/role/existing")).body.existing.cluster).toEqual(["manage"]);
    expect((await h.es.get("/_security/role/bad_privilege")).status).toBe(404);
  });

  test("a role body the parser refuses fails the whole request", async () => {
    const r = await h.es.post("/_security/role", { roles: { ok: { cluster: [] }, broken: { cluster: [], foo: 1 } } });
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe("x_content_parse_exception");
    expect(r.body.error.reason).toContain("[bulk_update_roles_request_payload] failed to parse field [roles]");
    expect(r.body.error.caused_by.reason).toBe("failed to parse role [broken]. unexpected field [foo]");
    expect((await h.es.get("/_security/role/ok")).status).toBe(404);
  });

  test("bulk delete: deleted, not_found and reserved-role errors", async () => {
    await h.es.put("/_security/role/gone", { cluster: [] });
    const r = await h.es.delete("/_security/role", { names: ["gone", "never", "superuser"] });
    expect(r.status).toBe(200);
    expect(r.body.deleted).toEqual(["gone"]);
    expect(r.body.not_found).toEqual(["never"]);
    expect(r.body.errors).toEqual({
      count: 1,
      details: {
        superuser: { type: "illegal_argument_exception", reason: "role [superuser] is reserved and cannot be deleted" },
      },
    });
    const strict = await h.es.delete("/_security/role", { names: ["x"], foo: 1 });
    expect(strict.status).toBe(400);
    expect(strict.body.error.reason).toContain("[bulk_delete_roles_request] unknown field [foo]");
  });

  test("both need manage_security", async () => {
    const keys = await userWithRole(h, "key_admin", { cluster: ["manage_api_key"] });
    const put = await h.es.post("/_security/role", { roles: { r: { cluster: [] } } }, { auth: keys });
    expect(put.status).toBe(403);
    expect(put.body.error.reason).toContain("action [cluster:admin/xpack/security/role/bulk_put] is unauthorized");
    const del = await h.es.delete("/_security/role", { names: ["r"] }, { auth: keys });
    expect(del.body.error.reason).toContain("action [cluster:admin/xpack/security/role/bulk_delete] is unauthorized");
  });
});

describe("querying roles", () => {
  test("the queryable fields, sort with _sort, paging and search_after", async () => {
    await h.es.post("/_security/role", {
      roles: {
        app_a: {
          description: "first",
          applications: [{ application: "myapp", privileges: ["read"], resources: ["*"] }],
        },
        app_b: { description: "second", metadata: { team: "blue" } },
        app_c: { metadata: { team: "red" } },
      },
    });
    const byApp = await h.es.post("/_security/_query/role", {
      query: { term: { "applications.application": "myapp" } },
    });
    expect(roleNames(byApp)).toEqual(["app_a"]);
    const byMeta = await h.es.post("/_security/_query/role", { query: { term: { "metadata.team": "red" } } });
    expect(roleNames(byMeta)).toEqual(["app_c"]);
    const sorted = await h.es.post("/_security/_query/role", {
      query: { prefix: { name: "app_" } },
      sort: [{ name: "desc" }],
      size: 2,
    });
    expect(roleNames(sorted)).toEqual(["app_c", "app_b"]);
    expect(sorted.body.total).toBe(3);
    expect(sorted.body.roles[0]._sort).toEqual(["app_c"]);
    expect(sorted.body.roles[1].description).toBe("second");
    const next = await h.es.post("/_security/_query/role", {
      query: { prefix: { name: "app_" } },
      sort: [{ name: "desc" }],
      search_after: ["app_b"],
    });
    expect(roleNames(next)).toEqual(["app_a"]);
    const field = await h.es.post("/_security/_query/role", { query: { term: { cluster: "all" } } });
    expect(field.status).toBe(400);
    expect(field.body.error.reason).toBe("Field [cluster] is not allowed for querying or aggregation");
  });

  test("read_security may query; a user without it gets 403", async () => {
    const reader = await userWithRole(h, "reader", { cluster: ["read_security"] });
    expect((await h.es.get("/_security/_query/role", { auth: reader })).status).toBe(200);
    const nobody = await userWithRole(h, "nobody", { cluster: ["monitor"] });
    const r = await h.es.post("/_security/_query/role", {}, { auth: nobody });
    expect(r.status).toBe(403);
    expect(r.body.error.reason).toContain("cluster:admin/xpack/security/role/query");
  });

  test("from 8.18 the reserved roles are queryable too; before 8.15 none of these APIs exist", async () => {
    const nine = await startHarness({ esVersion: "9.0.0" });
    try {
      const reserved = await nine.es.post("/_security/_query/role", {
        query: { term: { "metadata._reserved": true } },
      });
      expect(reserved.body.total).toBeGreaterThan(0);
      expect(roleNames(reserved)).toContain("superuser");
    } finally {
      await nine.emulator.stop();
    }
    expect((await h.es.post("/_security/_query/role", { query: { term: { name: "superuser" } } })).body.total).toBe(0);
    const old = await startHarness({ esVersion: "8.14.3" });
    try {
      expect((await old.es.post("/_security/_query/role", {})).status).toBe(400);
      const bulk = await old.es.post("/_security/role", { roles: {} });
      expect(bulk.status).toBe(405);
      expect(bulk.body.error).toContain("allowed: [GET]");
    } finally {
      await old.emulator.stop();
    }
  });
});
