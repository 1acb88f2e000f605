// Error texts never show a secret: credential-shaped values are removed wherever a text is made, and each connection
// removes the secrets it knows (its credentials, the keys issued through it, the secret outputs of the state it acts
// on) from whatever leaves it. The list is the connection's, not the process's, and bounded (provider/elastic/redaction.ts).
import { mkdtempSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { Connection } from "../../provider/elastic/connection";
import { ElasticKeysError } from "../../provider/elastic/errors";
import { redact, REDACTION_LIMIT, Redactor } from "../../provider/elastic/redaction";
import { CLUSTER_INPUT } from "../../provider/framework/cluster-record";
import { defineLifecycle } from "../../provider/framework/lifecycle";

const PASSWORD = "the-connections-password";
const connectionOf = (password: string) =>
  new Connection({
    config: {},
    env: {
      ELASTICSEARCH_ENDPOINTS: "http://es:9200",
      ELASTICSEARCH_USERNAME: "elastic",
      ELASTICSEARCH_PASSWORD: password,
      ELASTIC_KEYS_JOURNAL_DIR: mkdtempSync(path.join(os.tmpdir(), "pek-journal-")),
    },
  });

/** A resource whose every operation fails with an error echoing `echo(props)`, as a server answer might. */
const echoing = (echo: (props: Record<string, unknown>) => string) =>
  defineLifecycle<{ name: string }, Record<string, unknown>, "Echo">({
    type: "Echo",
    description: "fails echoing what it is told",
    schema: z.object({ name: z.string() }).strict(),
    outputs: { token: { doc: "a secret", schema: z.string(), secret: true } },
    example: ({ name }) => ({ name }),
    target: (c) => c.elasticsearch(),
    create: async () => ({ id: "x", outs: {} }),
    read: async (_ctx, _id, olds) => {
      throw new ElasticKeysError("server_error", "the server failed", { elasticMessage: echo(olds) });
    },
    delete: async () => {},
    unresolvedLeftovers: async () => [],
  });

describe("redaction", () => {
  it("removes an Authorization value and URL user-info from any text", () => {
    expect(redact("got Basic dXNlcjpwYXNzd29yZA== at https://u:p@h/x")).toBe(
      "got Basic [redacted] at https://[redacted]@h/x",
    );
    const e = new ElasticKeysError("internal", "failed", {
      elasticMessage: "header was ApiKey QUJDREVGR0g6aWprbG1ub3A=",
    });
    expect(e.message).not.toContain("QUJDREVGR0g6aWprbG1ub3A=");
  });

  it("a redactor keeps the most recent REDACTION_LIMIT secrets: the oldest goes first, one added again counts as new", () => {
    const r = new Redactor();
    r.add("kept-because-added-again");
    r.add("the-oldest-of-all");
    for (let i = 0; i < REDACTION_LIMIT - 2; i++) r.add(`filler-${i}-xxxx`);
    r.add("kept-because-added-again");
    r.add("one-more-to-push-past-the-limit");
    expect(r.apply("the-oldest-of-all")).toBe("the-oldest-of-all");
    expect(r.apply("kept-because-added-again")).toBe("[redacted]");
    expect(r.apply("one-more-to-push-past-the-limit")).toBe("[redacted]");
  });

  it("a connection's secrets are its own: another connection in the same process neither holds nor grows them", () => {
    const a = connectionOf(PASSWORD);
    const b = connectionOf("another-password");
    a.elasticsearch();
    b.elasticsearch();
    a.keepSecret("a-key-issued-through-a");
    expect(a.redact(`${PASSWORD} a-key-issued-through-a`)).toBe("[redacted] [redacted]");
    expect(b.redact(`${PASSWORD} a-key-issued-through-a`)).toBe(`${PASSWORD} a-key-issued-through-a`);
    expect(b.redact("another-password")).toBe("[redacted]");
  });

  it("an error leaving an operation shows neither the connection's credential nor a secret output of the state", async () => {
    const conn = connectionOf(PASSWORD);
    const lc = echoing((olds) => `you sent ${PASSWORD} for ${String(olds.token)}`);
    const state = { name: "n", token: "a-token-from-an-earlier-process", [CLUSTER_INPUT]: "http://es:9200" };
    const err = await lc.read(conn, "x", state).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ElasticKeysError);
    expect((err as Error).message).toContain("Elastic says: you sent [redacted] for [redacted]");
    expect(JSON.stringify((err as ElasticKeysError).details)).not.toMatch(/the-connections-password|earlier-process/);
  });

  it("a warning is told without the connection's secrets", async () => {
    const told: string[] = [];
    const conn = new Connection(
      {
        config: {},
        env: { ELASTICSEARCH_ENDPOINTS: "http://es:9200", ELASTICSEARCH_API_KEY: "an-api-key-credential" },
      },
      { warn: (m) => void told.push(m) },
    );
    conn.elasticsearch();
    await conn.warn("the server said an-api-key-credential");
    expect(told).toEqual(["the server said [redacted]"]);
  });
});
