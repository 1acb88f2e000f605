// The instants an API key's outputs give — `createdAt`, `expiresAt`, `rotatesAt` — from the server's own times (the
// key's `creation` and `expiration`), read back only when a schedule needs a creation time not yet known.
import type { Connection } from "../../elastic/connection";
import { readKeyState, type KeyOwner } from "./api-keys";
import { rotatesAtOf } from "./rotation";

interface Schedule {
  rotateAfter?: string;
  rotateBeforeExpiry?: string;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const parsed = (s: unknown) => (typeof s === "string" ? Date.parse(s) : undefined);

/** `known`: the server's instants at hand (epoch ms), or those already in state (ISO). */
export async function keyTimes(
  conn: Connection,
  id: string,
  owner: KeyOwner | undefined,
  schedule: Schedule,
  known: { creation?: number; expiration?: number; createdAt?: unknown; expiresAt?: unknown },
): Promise<{ createdAt?: string; expiresAt?: string; rotatesAt?: string }> {
  let creation = known.creation ?? parsed(known.createdAt);
  const expiration = known.expiration ?? parsed(known.expiresAt);
  if (schedule.rotateAfter !== undefined && creation === undefined) {
    const state = await readKeyState(conn, id, owner);
    if (state.key) creation = state.key.creation;
  }
  return {
    createdAt: iso(creation),
    expiresAt: iso(expiration),
    rotatesAt: rotatesAtOf(schedule, creation, expiration),
  };
}
