// sdk/debug-log.ts: which debug messages lose their response, and the wrapper around Pulumi's log.debug.
import { describe, expect, it, vi } from "vitest";
import { OMITTED_RESPONSE, redactDebugMessage, redactOurResponsesInDebugLog } from "../../sdk/debug-log";

const SECRET = "4dabf18193072939515e22adb298388d,,,1b47061264138c4ac30d75fd1eb44270,value,,,s3cr3t-key";
const finished = (label: string, err = "null") =>
  `RegisterResource RPC finished: ${label}; err: ${err}, resp: ${SECRET}`;

describe("redactDebugMessage", () => {
  it("cuts the response of each of our resource types, keeping label and error", () => {
    for (const type of ["ApmAgentKey", "EnrollmentApiKey", "CrossClusterApiKey", "ApmRole"]) {
      const label = `resource:my key[x][pulumi-nodejs:dynamic/elastic:${type}]`;
      expect(redactDebugMessage(finished(label))).toBe(
        `RegisterResource RPC finished: ${label}; err: null, ${OMITTED_RESPONSE}`,
      );
    }
    const read = `ReadResource RPC finished: resource:k[pulumi-nodejs:dynamic/elastic:ApmAgentKey]; err: null, resp: ${SECRET}`;
    expect(redactDebugMessage(read)).not.toContain("s3cr3t");
    const failed = finished("resource:k[pulumi-nodejs:dynamic/elastic:ApmAgentKey]", "Error: 13 INTERNAL: boom, again");
    expect(redactDebugMessage(failed)).toContain("err: Error: 13 INTERNAL: boom, again");
    expect(redactDebugMessage(failed)).not.toContain("s3cr3t");
  });

  it("leaves everything else as it is", () => {
    for (const msg of [
      finished("resource:k[pulumi-nodejs:dynamic/other:ApmAgentKey]"),
      finished("resource:k[aws:iam/accessKey:AccessKey]"),
      finished("resource:k[pulumi-nodejs:dynamic/elastic:ApmAgentKeyX]"),
      "Registering resource: t=pulumi-nodejs:dynamic/elastic:ApmAgentKey, name=k, custom=true, remote=false",
      `RegisterResource RPC finished: resource:k[pulumi-nodejs:dynamic/elastic:ApmAgentKey]; err: null`,
    ])
      expect(redactDebugMessage(msg)).toBe(msg);
  });
});

describe("redactOurResponsesInDebugLog", () => {
  it("routes log.debug through the redaction once, passing the other arguments on", () => {
    const inner = vi.fn((..._args: unknown[]) => Promise.resolve());
    const log = { debug: inner as never };
    redactOurResponsesInDebugLog(log);
    redactOurResponsesInDebugLog(log); // a second copy of the SDK
    const resource = {};
    void (log.debug as (...a: unknown[]) => Promise<void>)(
      finished("resource:k[pulumi-nodejs:dynamic/elastic:CrossClusterApiKey]"),
      resource,
      7,
    );
    expect(inner).toHaveBeenCalledTimes(1);
    expect(inner.mock.calls[0][0]).not.toContain("s3cr3t");
    expect(inner.mock.calls[0].slice(1)).toEqual([resource, 7]);
  });

  it("is installed on Pulumi's own log module when the SDK loads", async () => {
    const pulumi = await import("@pulumi/pulumi");
    await import("../../sdk");
    const debug = pulumi.log.debug as unknown as Record<symbol, unknown>;
    expect(debug[Symbol.for("pulumi-elastic-keys.redactDebugMessage")]).toBe(true);
  });
});
