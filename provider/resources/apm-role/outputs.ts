import type { OutputDocs } from "../../framework/outputs";

/** A role has no outputs beyond its inputs (read back by refresh). */
export const apmRoleOutputs = {} satisfies OutputDocs;
