// A Fleet agent policy to put enrollment keys on, made through Kibana's API as a given user: one fixture for the
// quickstart, the bench, the soaks and the tests (a real Kibana or the emulator alike).

export interface KibanaAt {
  /** Kibana's base URL (with its base path, if it has one). */
  url: string;
  username: string;
  password: string;
}

/**
 * Creates the policy and returns its id; `id` asks for a fixed one (so one program can target several clusters),
 * `spaceId` a Kibana space. Throws naming the status and Kibana's answer.
 */
export async function createAgentPolicy(
  kibana: KibanaAt,
  name: string,
  options: { id?: string; spaceId?: string } = {},
): Promise<string> {
  const prefix = options.spaceId ? `/s/${encodeURIComponent(options.spaceId)}` : "";
  const res = await fetch(`${kibana.url}${prefix}/api/fleet/agent_policies`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${kibana.username}:${kibana.password}`).toString("base64")}`,
      "content-type": "application/json",
      "kbn-xsrf": "pulumi-elastic-keys",
    },
    body: JSON.stringify({ ...(options.id ? { id: options.id } : {}), name, namespace: "default" }),
  });
  const text = await res.text();
  const id = res.status === 200 ? (JSON.parse(text) as { item?: { id?: string } }).item?.id : undefined;
  if (!id) throw new Error(`creating the agent policy "${name}": Kibana answered ${res.status}: ${text.slice(0, 300)}`);
  return id;
}

/** Kibana as an emulator's superuser. */
export const emulatorKibana = (e: { kibanaUrl: string; superuser: { username: string; password: string } }) => ({
  url: e.kibanaUrl,
  username: e.superuser.username,
  password: e.superuser.password,
});
