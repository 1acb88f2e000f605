import type { OutputDocs } from "../shared/outputs";

/** A role has no outputs beyond its inputs (read back by refresh). */
export const apmRoleOutputs: OutputDocs = {};
