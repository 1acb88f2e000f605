// Version-tagged behaviour: the emulated ES and Kibana versions compare numerically on major.minor.

/**
 * The minors whose behaviour the emulator models (emulator/README.md, Versions). Any version string is accepted; a
 * version outside this list gets every rule tagged up to it, and nothing the emulator does not know about.
 */
export const MODELLED_MINORS = ["8.14", "8.15", "8.16", "8.17", "8.18", "8.19", "9.0", "9.1", "9.2"] as const;

/** "8.15.0" is at least 8.14; "9.0.3" is at least 8.15. */
export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [ma = 0, mi = 0] = version.split(".").map((p) => parseInt(p, 10));
  return ma > major || (ma === major && mi >= minor);
}

/** A rule that holds from one minor on: `[8, 15]`. */
export type Since = readonly [major: number, minor: number];

/** Whether a rule introduced in `since` holds at `version`. */
export function holdsAt(version: string, since: Since): boolean {
  return versionAtLeast(version, since[0], since[1]);
}
