// What identifies a cluster (README, Configuration): its endpoints, never its credentials. An Elasticsearch cluster
// is the set of its node URLs, normalised (scheme, lower-case host, explicit port, path without trailing slash) and
// compared as a set; two settings name the same cluster when they share at least one URL, so adding or removing a
// node is not a move. Fleet-managed objects live on the Kibana (Fleet) endpoint. Each resource records the cluster it
// lives on in its state as one short string (the normalised URLs, sorted, comma-separated).

/** One endpoint in its identity form: `https://es.example.com:9200`, `http://kb:5601/kibana`. */
export function identityUrl(raw: string): string {
  if (!URL.canParse(raw.trim())) return raw.trim().toLowerCase(); // e.g. a value still unknown at preview
  const url = new URL(raw.trim());
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  const pathname = url.pathname.replace(/\/+$/, "");
  return `${url.protocol}//${url.hostname.toLowerCase()}:${port}${pathname}`;
}

/** The record of a cluster reached through these URLs. */
export function clusterRecord(urls: readonly string[]): string {
  return [...new Set(urls.map(identityUrl))].sort().join(",");
}

const urlsOf = (record: string): string[] => record.split(",").filter(Boolean);

/** Whether two records (or endpoint lists) name the same cluster: at least one URL in common. */
export function sameCluster(a: string, b: string): boolean {
  const mine = new Set(urlsOf(a).map(identityUrl));
  return urlsOf(b).some((u) => mine.has(identityUrl(u)));
}
