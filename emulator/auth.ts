// ES authentication (docs/elastic-api.md 0.2): Basic against emulator users, ApiKey against keys it issued.
import { EsError } from "./errors";
import { hashSecret } from "./ids";
import { Principal } from "./principal";
import { EmulatorState } from "./state";

export const WWW_AUTHENTICATE = ['Basic realm="security", charset="UTF-8"', 'Bearer realm="security"', "ApiKey"];

function unauthenticated(reason: string): EsError {
  const header = { "WWW-Authenticate": WWW_AUTHENTICATE };
  return new EsError(401, "security_exception", reason, { header, responseHeaders: header });
}

const BAD_CREDENTIALS =
  "unable to authenticate with provided credentials and anonymous access is not allowed for this request";

/** Authenticates an Authorization header; `uri` is quoted in the 401 texts. Throws the ES 401 on failure. */
export function authenticate(state: EmulatorState, authorization: string | undefined, uri: string): Principal {
  if (!authorization || authorization.trim() === "") {
    throw unauthenticated(`missing authentication credentials for REST request [${uri}]`);
  }
  const space = authorization.indexOf(" ");
  const scheme = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
  const credentials = space < 0 ? "" : authorization.slice(space + 1).trim();
  if (scheme === "basic") return authenticateBasic(state, credentials, uri);
  if (scheme === "apikey") return authenticateApiKey(state, credentials);
  throw unauthenticated(BAD_CREDENTIALS);
}

function authenticateBasic(state: EmulatorState, credentials: string, uri: string): Principal {
  const decoded = Buffer.from(credentials, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw unauthenticated(BAD_CREDENTIALS);
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const user = state.users.get(username);
  if (!user || !user.enabled || user.password !== password) {
    throw unauthenticated(`unable to authenticate user [${username}] for REST request [${uri}]`);
  }
  return { kind: "user", user };
}

function authenticateApiKey(state: EmulatorState, credentials: string): Principal {
  const decoded = Buffer.from(credentials, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw unauthenticated(BAD_CREDENTIALS);
  const key = state.apiKeys.get(decoded.slice(0, colon));
  if (!key || key.secretHash !== hashSecret(decoded.slice(colon + 1))) throw unauthenticated(BAD_CREDENTIALS);
  if (key.invalidated) throw unauthenticated(BAD_CREDENTIALS);
  if (key.expiration !== undefined && key.expiration <= state.now()) throw unauthenticated(BAD_CREDENTIALS);
  if (key.type === "cross_cluster") {
    throw unauthenticated(
      `authentication expected API key type of [rest], but API key [${key.id}] has type [cross_cluster]`,
    );
  }
  return { kind: "api_key", key };
}
