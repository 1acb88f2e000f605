// Killing processes as a crash would: shared with the soak (scripts/lib/processes.ts).
export * from "../../scripts/lib/processes";
