// One segment of a request path, built from a value a user or a server gave (a role name, a key id, a space id).
// Encoding alone is not enough: every URL parser resolves `.` and `..` as dot segments (RFC 3986 §5.2.4; the WHATWG
// URL standard that Node's URL follows also for `%2e`), so `/_security/role/..` would reach `/_security/` and
// `/_security/role/.` the list of every role. Such a value never leaves this process.
import { ElasticKeysError } from "./errors";

/** Whether a value can be one path segment once encoded: not empty, not a dot segment. */
export const isPathSegment = (value: string): boolean => value !== "" && value !== "." && value !== "..";

/** The value as one encoded path segment; `what` names it for the error (e.g. `role name`). */
export function pathSegment(value: string, what: string): string {
  if (!isPathSegment(value))
    throw new ElasticKeysError(
      "invalid_input",
      `${what} ${JSON.stringify(value)} cannot be sent in a URL path: an empty segment, "." and ".." are resolved away by every URL parser, so the request would reach another endpoint`,
      { fix: `give a ${what} that is not empty, "." or ".."` },
    );
  return encodeURIComponent(value);
}
