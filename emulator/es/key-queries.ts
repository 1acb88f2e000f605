// Selecting keys by the filters GET and DELETE /_security/api_key share (docs/elastic-api.md C.3, E.1), and the
// owner-scoping rule that decides whether manage_own_api_key suffices.
import { ApiKey } from "../model";
import { Principal, principalRealm, principalUsername } from "../principal";
import { EmulatorState } from "../state";

export interface KeyFilter {
  ids?: string[];
  name?: string;
  username?: string;
  realmName?: string;
  owner?: boolean;
}

/** `name` is exact, or a prefix when it ends with "*"; "*" alone matches every key. */
export function nameMatches(pattern: string, name: string): boolean {
  return pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

export function selectKeys(state: EmulatorState, principal: Principal, filter: KeyFilter): ApiKey[] {
  const username = principalUsername(principal);
  const realm = principalRealm(principal).name;
  return [...state.apiKeys.values()].filter(
    (key) =>
      (filter.ids === undefined || filter.ids.includes(key.id)) &&
      (filter.name === undefined || nameMatches(filter.name, key.name)) &&
      (filter.username === undefined || key.owner.username === filter.username) &&
      (filter.realmName === undefined || key.owner.realm.name === filter.realmName) &&
      (!filter.owner || (key.owner.username === username && key.owner.realm.name === realm)),
  );
}

/**
 * Whether the request only concerns the caller's own keys, so manage_own_api_key grants it: owner=true, or
 * username plus realm naming the caller, or an API key naming only itself. An API key owns no other key.
 */
export function isOwnerScoped(principal: Principal, filter: KeyFilter): boolean {
  if (principal.kind === "api_key") return filter.ids?.length === 1 && filter.ids[0] === principal.key.id;
  if (filter.owner) return true;
  return (
    filter.username !== undefined &&
    filter.realmName !== undefined &&
    filter.username === principalUsername(principal) &&
    filter.realmName === principalRealm(principal).name
  );
}
