// Application privileges (docs/elastic-api.md D.1, E.4): the naming rules, and how a held privilege grants a requested
// one. Stored privilege definitions (PUT /_security/privilege; Kibana registers its own at startup, which the emulator
// seeds from kibana/registered-privileges.ts) stand for their actions: a requested action is granted by a role entry
// that names it, matches it with a wildcard, or names a stored privilege whose actions cover it.
import { globMatch } from "./glob";
import { ApplicationPrivilegeEntry } from "./model";

export const KIBANA_APPLICATION = "kibana-.kibana";

/** The actions of a stored privilege, if `application` has one called `name`. */
export type PrivilegeLookup = (application: string, name: string) => string[] | undefined;

const PRIVILEGE_NAME = /^[a-z][a-zA-Z0-9_.-]*$/;
const GRAPH = /^[\x21-\x7e]*$/;

/** ApplicationPrivilege.validateApplicationName: the first rule a name breaks, if any. */
export function applicationNameProblem(name: string, allowWildcard: boolean): string | undefined {
  if (name === "") return "Application names cannot be blank";
  const asterisk = name.indexOf("*");
  if (asterisk !== -1) {
    if (!allowWildcard) return `Application names may not contain '*' (found '${name}')`;
    if (name === "*") return undefined;
    if (asterisk !== name.length - 1)
      return `Application name patterns only support trailing wildcards (found '${name}')`;
  }
  if (/\s/.test(name)) return `Application names may not contain whitespace (found '${name}')`;
  const sep = name.search(/[-_]/);
  const prefix = (sep < 0 ? name : name.slice(0, sep)).replace(/\*$/, "");
  if (!/^[a-z][A-Za-z0-9]*$/.test(prefix)) {
    return `An application name prefix must match the pattern ^[a-z][A-Za-z0-9]*$ (found '${prefix}')`;
  }
  if (prefix.length < 3 && asterisk === -1) {
    return `An application name prefix must be at least 3 characters long (found '${prefix}')`;
  }
  const suffix = sep < 0 ? undefined : name.slice(sep + 1);
  if (suffix !== undefined && /[\\/*?"<>|,# ]/.test(allowWildcard ? suffix.replace(/\*$/, "") : suffix)) {
    return `An application name suffix may not contain any of the characters '\\/*?"<>|,# ' (found '${suffix}')`;
  }
  return undefined;
}

/** A name a role entry may hold or a privilege check may ask for: a privilege name or an action. */
export function privilegeOrActionProblem(name: string): string | undefined {
  return GRAPH.test(name)
    ? undefined
    : `Application privilege names and actions must match the pattern ^\\p{Graph}*$ (found '${name}')`;
}

/** The name of a stored privilege definition. */
export function privilegeNameProblem(name: string): string | undefined {
  return PRIVILEGE_NAME.test(name)
    ? undefined
    : `Application privilege names must match the pattern ^[a-z][a-zA-Z0-9_.-]*$ (found '${name}')`;
}

/** An action of a stored privilege definition: it must look like an action, not like a privilege name. */
export function actionNameProblem(action: string): string | undefined {
  if (!/[/*:]/.test(action)) return `action [${action}] must contain one of [/*:]`;
  return privilegeOrActionProblem(action);
}

/**
 * The action patterns a name stands for (ApplicationPrivilege.resolve): a privilege name resolves to its stored
 * actions, or to nothing when none is stored; anything else is itself an action pattern.
 */
function patternsOf(application: string, name: string, lookup: PrivilegeLookup): string[] {
  return PRIVILEGE_NAME.test(name) ? (lookup(application, name) ?? []) : [name];
}

/** Whether a held application privilege grants a requested privilege name or action (ApplicationPermission). */
export function heldGrants(application: string, held: string, requested: string, lookup: PrivilegeLookup): boolean {
  if (held === requested) return true;
  const heldPatterns = patternsOf(application, held, lookup);
  if (heldPatterns.includes("*")) return true;
  const requestedPatterns = patternsOf(application, requested, lookup);
  return (
    heldPatterns.length > 0 &&
    requestedPatterns.length > 0 &&
    requestedPatterns.every((action) => heldPatterns.some((pattern) => globMatch(pattern, action)))
  );
}

/** Whether any of the entries grants `requested` for `application` on `resource`. */
export function entriesGrant(
  entries: ApplicationPrivilegeEntry[],
  application: string,
  requested: string,
  resource: string,
  lookup: PrivilegeLookup,
): boolean {
  return entries.some(
    (entry) =>
      globMatch(entry.application, application) &&
      entry.resources.some((r) => globMatch(r, resource)) &&
      entry.privileges.some((held) => heldGrants(application, held, requested, lookup)),
  );
}
