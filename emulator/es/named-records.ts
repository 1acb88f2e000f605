// GET of roles and users by comma-separated names (docs/elastic-api.md D.2): missing names are left out, and when every
// requested name is missing the answer is 404 with an empty object.
import { EsRawError } from "../errors";
import { JsonObject } from "../json";

export function renderNamed<T>(
  names: string | undefined,
  records: Map<string, T>,
  render: (record: T) => JsonObject,
): JsonObject {
  const wanted = names === undefined ? [...records.keys()] : names.split(",").map((n) => n.trim());
  const out: JsonObject = {};
  for (const name of wanted) {
    const record = records.get(name);
    if (record !== undefined) out[name] = render(record);
  }
  if (names !== undefined && Object.keys(out).length === 0) throw new EsRawError(404, {});
  return out;
}
