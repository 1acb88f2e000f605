// Output types more than one resource declares.
import { z } from "zod";

/** Who owns an Elasticsearch API key: the principal that created it. */
export const keyOwner = z
  .object({
    username: z.string().describe("The user that owns the key."),
    realm: z.string().describe("The realm of that user."),
  })
  .meta({ title: "KeyOwner" });
