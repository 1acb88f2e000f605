// Output types more than one resource declares.
import { z } from "zod";

/** Who owns an Elasticsearch API key: the principal that created it. */
export const keyOwner = z
  .object({
    username: z.string().describe("The user that owns the key."),
    realm: z.string().describe("The realm of that user."),
  })
  .meta({ title: "KeyOwner" });

/** The instants a key with a schedule or an expiry reports (README, Rotation). */
export const rotationOutputs = {
  createdAt: {
    doc: "Creation time (ISO 8601), by the server's clock: known at creation when a schedule is set, else once read back by a refresh.",
    schema: z.string().optional(),
  },
  expiresAt: { doc: "Absolute expiry (ISO 8601), when `expiration` is set.", schema: z.string().optional() },
  rotatesAt: {
    doc: "When the key is due for rotation (ISO 8601), when `rotateAfter` or `rotateBeforeExpiry` is set: from then on `preview` shows its replacement.",
    schema: z.string().optional(),
  },
};
