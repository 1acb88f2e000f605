// The plugin fetched by the engine, as a user gets it: no `pulumi plugin install`, no `plugins.providers` path, an
// empty PULUMI_HOME, and automatic plugin acquisition left on. The schema's pluginDownloadURL (carried by every SDK,
// and by the YAML package declaration) names a GitHub release; a mirror of that release on 127.0.0.1 serves the
// assets `npm run package-plugin` writes, under the path the URL template gives, and PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES
// (the engine's own way to point a download URL at a mirror) sends the engine there. Nothing else would lead the
// engine to this plugin: without the SDK's URL it would ask github.com/pulumi/pulumi-elastic, which is not mirrored.
import { after, before, beforeEach, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import {
  cpSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from "node:fs";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { pulumiCliPath, REPO_ROOT } from "../../scripts/lib/pulumi-cli";
import { PASSPHRASE } from "../../scripts/lib/stack";
import { packagePlugin } from "../../scripts/package-plugin";
import { currentPlatform, PLUGIN_DOWNLOAD_URL, pluginAssetName, REPOSITORY } from "../../scripts/generate/publishing";
import { authenticatesAs, createAgentPolicy, createUser } from "../support/elastic-checks";
import { pythonDriver, runDriver } from "../support/sdk-drivers";
import { useTarget, unique } from "../support/target";
import { withCliProject } from "../support/engine";

const t = useTarget({ before, after });
const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
/** The release's path on github.com, e.g. /<owner>/<repo>/releases/download/v0.1.0/ */
const RELEASE_PATH = `${new URL(REPOSITORY).pathname}/releases/download/v${VERSION}/`;
const ASSET = pluginAssetName(VERSION, currentPlatform());

// As a user runs it: the engine may fetch plugins (the other tests switch that off).
delete process.env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION;

let assets: string;
let mirror: Server;
let mirrorUrl: string;
const fetched: string[] = [];

before(async () => {
  assets = mkdtempSync(path.join(os.tmpdir(), "pek-release-"));
  packagePlugin(assets);
  // A mirror of the GitHub release: each asset under the path github.com would serve it from.
  mirror = createServer((req, res) => {
    fetched.push(`${req.method} ${req.url}`);
    const name = req.url?.startsWith(RELEASE_PATH) ? req.url.slice(RELEASE_PATH.length) : "";
    if (!name || name.includes("/") || !existsSync(path.join(assets, name))) {
      res.writeHead(404).end("not found");
      return;
    }
    // As GitHub does: the engine checks the bytes it got against the length announced.
    const length = statSync(path.join(assets, name)).size;
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": length });
    createReadStream(path.join(assets, name)).pipe(res);
  });
  await new Promise<void>((resolve) => mirror.listen(0, "127.0.0.1", resolve));
  mirrorUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise<void>((resolve) => mirror.close(() => resolve()));
  rmSync(assets, { recursive: true, force: true });
});

// Each test counts its own fetches.
beforeEach(() => void fetched.splice(0));

/** The engine's override, as a user sets it for a mirror: github.com/<path> is fetched from the mirror's <path>. */
const overrides = () => ({
  PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES: `^https://github\\.com/(?P<path>.+)$=${mirrorUrl}/\${path}`,
});

/** The plugin the engine installed into PULUMI_HOME by itself, and what the mirror was asked for. */
function assertFetchedOnce(home: string): void {
  assert.deepEqual(
    fetched.splice(0),
    [`GET ${RELEASE_PATH}${ASSET}`],
    "the engine fetched this platform's asset once, at the path the pluginDownloadURL template gives",
  );
  assert.ok(
    readdirSync(path.join(home, "plugins")).includes(`resource-elastic-v${VERSION}`),
    "installed into the empty PULUMI_HOME",
  );
}

describe("the plugin fetched by the engine from its pluginDownloadURL (no plugin install, no plugin path)", () => {
  test("the release assets are named as the engine asks for them, and the README states their size", () => {
    assert.equal(PLUGIN_DOWNLOAD_URL, `${REPOSITORY}/releases/download/v\${VERSION}`);
    const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, "plugin", "schema.json"), "utf8")) as {
      pluginDownloadURL: string;
    };
    assert.equal(schema.pluginDownloadURL, PLUGIN_DOWNLOAD_URL, "the schema carries it (npm run generate)");
    for (const platform of ["linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64"])
      assert.ok(existsSync(path.join(assets, `pulumi-resource-elastic-v${VERSION}-${platform}.tar.gz`)), platform);
    const { bytes } = packagePlugin(mkdtempSync(path.join(os.tmpdir(), "pek-release-size-")));
    const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const stated = /npm run package-plugin\s+# [^\n]*?([\d.]+) MB/.exec(readme)?.[1];
    assert.equal(stated, (bytes / 1024 / 1024).toFixed(1), "README's tarball size is what the script prints");
  });

  test("pulumi plugin install resource elastic <version> --server <pluginDownloadURL>, as the README prints it", async () => {
    const command = `pulumi plugin install resource elastic ${VERSION} --server '${PLUGIN_DOWNLOAD_URL}'`;
    assert.ok(readFileSync(path.join(REPO_ROOT, "README.md"), "utf8").includes(command), command);
    const home = mkdtempSync(path.join(os.tmpdir(), "pek-dl-install-"));
    try {
      // Asynchronously: the mirror answers from this very process.
      await promisify(execFile)("bash", ["-c", command.replace(/^pulumi /, '"$PULUMI" ')], {
        env: {
          ...process.env,
          PULUMI: pulumiCliPath(),
          PULUMI_HOME: home,
          PULUMI_SKIP_UPDATE_CHECK: "true",
          ...overrides(),
        },
      });
      assertFetchedOnce(home);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  test("a YAML program with the package declaration from plugin/sdks/yaml", async () => {
    const s = unique("dl");
    const user = await createUser(t, unique("dl").replace(/-/g, "_"), `pw-${unique("dl-secret")}`, ["superuser"]);
    await withCliProject({
      programYaml: `name: pek-yaml-download\nruntime: yaml\nresources:\n  role:\n    type: elastic:index:ApmRole\n    properties:\n      name: role-${s}\n  agentKey:\n    type: elastic:index:ApmAgentKey\n    properties:\n      name: agent-${s}\n      privileges: [event:write]\noutputs:\n  encoded: \${agentKey.encoded}\n  keyId: \${agentKey.keyId}\n`,
      env: overrides(),
    }).run(async (p) => {
      p.setEnv({ PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: undefined });
      const home = path.join(path.dirname(p.dir), "home");
      mkdirSync(path.join(p.dir, "sdks"));
      cpSync(
        path.join(REPO_ROOT, "plugin", "sdks", "yaml", `elastic-${VERSION}.yaml`),
        path.join(p.dir, "sdks", `elastic-${VERSION}.yaml`),
      );
      await p.pulumi(["stack", "init", "dev"]);
      await p.pulumi(["config", "set", "elastic:elasticsearchEndpoints", t.esUrl]);
      await p.pulumi(["config", "set", "elastic:elasticsearchUsername", user.username]);
      await p.pulumi(["config", "set", "--secret", "elastic:elasticsearchPassword", user.password]);
      assert.ok(!existsSync(path.join(home, "plugins")) || readdirSync(path.join(home, "plugins")).length === 0);
      await p.pulumi(["up", "--yes"]);
      assertFetchedOnce(home);
      const out = JSON.parse((await p.pulumi(["stack", "output", "--json", "--show-secrets"])).stdout) as Record<
        string,
        string
      >;
      assert.equal(await authenticatesAs(t, out.encoded), out.keyId);
      await p.pulumi(["destroy", "--yes"]);
      assert.deepEqual(fetched, [], "installed once: nothing fetched again");
    });
  });

  test("a Python program (the wheel's SDK, through the Automation API)", async () => {
    const s = unique("dlpy");
    const user = await createUser(t, unique("dlpy").replace(/-/g, "_"), `pw-${unique("dlpy-secret")}`, ["superuser"]);
    const cluster = { esUrl: t.esUrl, kibanaUrl: t.kibanaUrl, ...user };
    const home = mkdtempSync(path.join(os.tmpdir(), "pek-dl-home-"));
    const backend = mkdtempSync(path.join(os.tmpdir(), "pek-dl-backend-"));
    const request = {
      suffix: s,
      policyId: await createAgentPolicy(t, unique("dlpol")),
      main: cluster,
      other: cluster,
      stackName: "dev",
      projectName: "pek-python-download",
      pulumiHome: home,
      cliRoot: path.dirname(path.dirname(pulumiCliPath())),
      env: {
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        ...overrides(),
      },
    };
    try {
      const d = pythonDriver();
      const up = await runDriver(d, { ...request, phase: "up" });
      assertFetchedOnce(home);
      assert.equal(await authenticatesAs(t, String(up.outputs.agentEncoded.value)), up.outputs.agentKeyId.value);
      await runDriver(d, { ...request, phase: "destroy" });
      assert.deepEqual(fetched, [], "installed once: nothing fetched again");
    } finally {
      for (const dir of [home, backend]) rmSync(dir, { recursive: true, force: true });
    }
  });
});
