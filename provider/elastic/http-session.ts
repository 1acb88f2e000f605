// What one Connection keeps for its HTTP traffic: the keep-alive pools (per origin and TLS settings) and, per target,
// the node that answered last. Owned by the connection, so it ends with it and two connections never share sockets
// or preferences (issue 25: no module-level mutable state outside a connection or a process entry point).
import type { Agent } from "undici";

export interface HttpSession {
  readonly pools: Map<string, Agent>;
  /** Which node of a target (by its key) to try first: the last one that answered. */
  readonly preferredNode: Map<string, number>;
}

export const newHttpSession = (): HttpSession => ({ pools: new Map(), preferredNode: new Map() });

/** Closes the session's pools (a short-lived process, or a test, before it ends). */
export async function closeSession(session: HttpSession): Promise<void> {
  const all = [...session.pools.values()];
  session.pools.clear();
  await Promise.all(all.map((a) => a.close()));
}
