// `npm run emulator -- --es-port N --kibana-port M [--tls [--kibana-own-ca]] [--password P] [--latency-ms N]
// [--kibana-base-path /kibana] [--es-path-prefix /es]`: runs the emulator until
// SIGINT/SIGTERM and prints where it listens and the seeded credentials.
import { EmulatorOptions, startEmulator } from "./index";

interface CliOptions extends EmulatorOptions {
  latencyMs: number;
}

function parseArgs(argv: string[]): CliOptions {
  const options: CliOptions = { latencyMs: 0 };
  const number = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case "--es-port":
        options.esPort = number(arg, argv[++i]);
        break;
      case "--kibana-port":
        options.kibanaPort = number(arg, argv[++i]);
        break;
      case "--host":
        options.host = argv[++i];
        break;
      case "--tls":
        options.tls = true;
        break;
      case "--password":
        options.superuserPassword = argv[++i];
        break;
      case "--latency-ms":
        options.latencyMs = number(arg, argv[++i]);
        break;
      case "--es-version":
        options.esVersion = argv[++i];
        break;
      case "--kibana-base-path":
        options.kibanaBasePath = argv[++i];
        break;
      case "--es-path-prefix":
        options.esPathPrefix = argv[++i];
        break;
      case "--kibana-own-ca":
        options.kibanaOwnCa = true;
        break;
      case "--restrict-internal-apis":
        options.restrictInternalApis = true;
        break;
      case "--help":
      case "-h":
        process.stdout.write(
          "usage: emulator --es-port N --kibana-port M [--tls] [--password P] [--latency-ms N] [--host H] [--es-version V] [--restrict-internal-apis] [--kibana-base-path /kibana] [--es-path-prefix /es] [--kibana-own-ca]\n",
        );
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument: ${arg}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const emulator = await startEmulator(options);
  if (options.latencyMs > 0) emulator.admin.setLatency(options.latencyMs);
  const lines = [
    `Elasticsearch emulator: ${emulator.esUrl}`,
    `Kibana emulator:        ${emulator.kibanaUrl}`,
    `Superuser:              ${emulator.superuser.username} / ${emulator.superuser.password}`,
    `Also seeded:            kibana_system / ${emulator.superuser.password}`,
    `Admin surface:          ${emulator.esUrl}/_emulator/state (and on the Kibana port)`,
  ];
  if (emulator.caCertPem) lines.push("CA certificate (trust it to verify TLS):", emulator.caCertPem.trimEnd());
  if (emulator.kibanaCaCertPem && emulator.kibanaCaCertPem !== emulator.caCertPem)
    lines.push("Kibana's CA certificate (a CA of its own):", emulator.kibanaCaCertPem.trimEnd());
  process.stdout.write(`${lines.join("\n")}\n`);
  const shutdown = () => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
