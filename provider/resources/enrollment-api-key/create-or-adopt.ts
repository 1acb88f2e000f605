// R7: a Fleet create whose outcome is unknown (5xx or lost connection after the request was sent) must not leave a
// live orphan. Fleet's read hands the secret back (B.4) and names are unique per policy (B.2), so the key an
// interrupted attempt made can be found by its name and adopted instead of created a second time.
import type { Target } from "../../connection";
import { OutcomeUnknownError } from "../../http";
import { createEnrollmentKey, getEnrollmentKey, listEnrollmentKeys, type EnrollmentKeyWire } from "../../kibana";

const MAX_ATTEMPTS = 5;
/** Slack for clock skew between this machine and Kibana when telling an orphan from an older key. */
const SKEW_MS = 30_000;

export interface EnrollmentKeyRequest {
  policyId: string;
  name: string;
  spaceId?: string;
}

export async function createOrAdoptEnrollmentKey(fleet: Target, req: EnrollmentKeyRequest): Promise<EnrollmentKeyWire> {
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    try {
      return await createEnrollmentKey(fleet, req.spaceId, { policy_id: req.policyId, name: req.name });
    } catch (err) {
      if (!(err instanceof OutcomeUnknownError) || attempt >= MAX_ATTEMPTS) throw err;
      const orphan = await findKeyCreatedSince(fleet, req, started - SKEW_MS);
      if (orphan) return orphan;
    }
  }
}

/** The active key of this policy named `"<name> (<id>)"` (B.1) created since `since`, with its secret. */
async function findKeyCreatedSince(
  fleet: Target,
  req: EnrollmentKeyRequest,
  since: number,
): Promise<EnrollmentKeyWire | undefined> {
  const keys = await listEnrollmentKeys(fleet, req.spaceId, req.policyId); // every page (B.3)
  const match = keys.find((k) => k.active && k.name === `${req.name} (${k.id})` && Date.parse(k.created_at) >= since);
  if (!match) return undefined;
  return match.api_key ? match : getEnrollmentKey(fleet, req.spaceId, match.id);
}
