#!/usr/bin/env node
// The package's command line: `pulumi stack export | npx pulumi-elastic-keys settle-pending` (or `inventory`), with
// the connection settings in the environment (the Terraform-compatible variables: ELASTICSEARCH_ENDPOINTS, ...).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { Connection } from "../provider/elastic/connection";
import { inventory, inventoryTable } from "./inventory";
import { settlePendingCreates } from "./settle-pending";
import { RESOURCES } from "../provider/framework/registry";
import { describeSettled, type SettledEntry } from "../provider/framework/journaled-create";

const USAGE = `usage: pulumi stack export | pulumi-elastic-keys settle-pending
       pulumi-elastic-keys inventory [--json] [--stack NAME]... [EXPORT.json]...   (else an export on stdin)

inventory lists every key the given stacks own (state, expiry, rotation date), every key retiring for one of them,
and every live key on the cluster that carries this provider's create mark but none of the given states holds. It
changes nothing. --stack runs \`pulumi stack export --stack NAME\` in the current folder.

settle-pending:
Settles the creates a killed \`pulumi up\` left pending (pending_operations in the export), and the creates a killed
provider process left in this machine's create journal (ELASTIC_KEYS_JOURNAL_DIR, else $PULUMI_HOME or ~/.pulumi,
under elastic-keys/journal): what they made is found by its create mark (or generated name) and invalidated,
revoked or deleted; nothing else is touched. Then run
\`pulumi refresh --clear-pending-creates\` and \`pulumi up\`. Connection settings come from the environment
(ELASTICSEARCH_ENDPOINTS, ELASTICSEARCH_USERNAME/PASSWORD or ELASTICSEARCH_API_KEY, KIBANA_ENDPOINT, ...); use a
credential that can see the keys: the stack's own, or one holding manage_api_key (manage_security for cross-cluster
keys). Each create is settled only on the cluster it was sent to (recorded in the export): with resources on several
clusters, run it once per cluster with that cluster's settings; the others are reported as not settled.`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The exports `inventory` is given: files, stacks exported through the pulumi CLI, else stdin. */
async function exportsFrom(args: string[]): Promise<unknown[]> {
  const exports: unknown[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--json") continue;
    if (args[i] === "--stack") {
      const out = execFileSync("pulumi", ["stack", "export", "--stack", args[++i] ?? ""], { encoding: "utf8" });
      exports.push(JSON.parse(out));
    } else exports.push(JSON.parse(readFileSync(args[i], "utf8")));
  }
  if (exports.length === 0) exports.push(JSON.parse(await readStdin()));
  return exports;
}

async function main(argv: string[], conn: Connection): Promise<number> {
  if (argv[0] === "inventory") {
    const rows = await inventory((await exportsFrom(argv.slice(1))) as Parameters<typeof inventory>[0], conn);
    process.stdout.write(argv.includes("--json") ? `${JSON.stringify(rows, null, 2)}\n` : `${inventoryTable(rows)}\n`);
    return 0;
  }
  if (argv[0] !== "settle-pending") {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const exported = JSON.parse(await readStdin()) as { deployment?: { pending_operations?: [] } };
  const results = await settlePendingCreates(exported.deployment ?? {}, conn);
  for (const r of results) {
    const what =
      r.outcome === "removed"
        ? `removed ${r.ids.join(", ")}`
        : r.outcome === "nothing-made"
          ? "the interrupted create made nothing that is still live"
          : `not settled: ${r.message}`;
    process.stdout.write(`${r.urn}: ${what}\n`);
  }
  // The creates a killed provider process left in this machine's journal (the engine kept no pending operation).
  const interrupted: SettledEntry[] = [];
  for (const r of RESOURCES) {
    try {
      interrupted.push(...(await r.lifecycle.settleInterrupted(conn)));
    } catch (err) {
      const type = r.lifecycle.definition.type;
      interrupted.push({ label: type, mark: "", removed: [], error: conn.messageOf(err) });
    }
  }
  for (const s of interrupted) process.stdout.write(`${describeSettled(s)}\n`);
  if (results.length === 0 && interrupted.length === 0)
    process.stdout.write("no pending or interrupted create of this package's resources\n");
  const unsettled = [
    ...results.filter((r) => r.outcome === "undecidable" || r.outcome === "failed"),
    ...interrupted.filter((s) => s.error),
  ];
  if (unsettled.length === 0 && results.length > 0)
    process.stdout.write("now run: pulumi refresh --clear-pending-creates, then pulumi up\n");
  return unsettled.length ? 1 : 0;
}

/** The one connection of this process, from the environment; what fails is printed without its secrets. */
const connection = new Connection({ config: {}, env: process.env });
main(process.argv.slice(2), connection)
  .then((code) => process.exit(code)) // its keep-alive sockets end with the process
  .catch((err: unknown) => {
    process.stderr.write(`${connection.messageOf(err)}\n`);
    process.exit(1);
  });
