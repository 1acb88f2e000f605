// Version-tagged behaviour: the emulated ES and Kibana versions compare numerically on major.minor.

/** "8.15.0" is at least 8.14; "9.0.3" is at least 8.15. */
export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [ma = 0, mi = 0] = version.split(".").map((p) => parseInt(p, 10));
  return ma > major || (ma === major && mi >= minor);
}
