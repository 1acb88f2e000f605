// Error texts never show a registered secret, and the list of registered secrets stays bounded in a long-lived
// provider process (provider/elastic/errors.ts).
import { describe, expect, it } from "vitest";
import { redact, REDACTION_LIMIT, registerSecret } from "../../provider/elastic/errors";

describe("redaction", () => {
  it("removes a registered secret, an Authorization value and URL user-info", () => {
    registerSecret("s3cr3t-value-one");
    expect(redact("got s3cr3t-value-one from Basic dXNlcjpwYXNzd29yZA== at https://u:p@h/x")).toBe(
      "got [redacted] from Basic [redacted] at https://[redacted]@h/x",
    );
  });

  it("keeps the most recent REDACTION_LIMIT secrets: the oldest goes first, a re-registered one counts as new", () => {
    registerSecret("kept-because-re-registered");
    registerSecret("the-oldest-of-all");
    for (let i = 0; i < REDACTION_LIMIT - 2; i++) registerSecret(`filler-${i}-xxxx`);
    registerSecret("kept-because-re-registered");
    registerSecret("one-more-to-push-past-the-limit");
    expect(redact("the-oldest-of-all")).toBe("the-oldest-of-all");
    expect(redact("kept-because-re-registered")).toBe("[redacted]");
    expect(redact("one-more-to-push-past-the-limit")).toBe("[redacted]");
  });
});
