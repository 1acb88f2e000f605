// Where the project is published, derived from one fact: package.json `repository`. The plugin's release assets
// (pluginDownloadURL, which every generated SDK carries so the engine fetches the plugin by itself) and the Go
// module path both follow from it; a fork that publishes elsewhere changes `repository` and runs `npm run generate`.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../lib/pulumi-cli";

interface PackageJson {
  version: string;
  repository?: { url?: string };
}

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as PackageJson;

/** The repository's https URL without `.git`, e.g. https://github.com/<owner>/pulumi-elastic-keys. */
export const REPOSITORY = (() => {
  const url = pkg.repository?.url?.replace(/^git\+/, "").replace(/\.git$/, "");
  if (!url || !/^https:\/\/github\.com\/[^/]+\/[^/]+$/.test(url))
    throw new Error(`package.json repository.url must be https://github.com/<owner>/<name>, not ${String(url)}`);
  return url;
})();

/**
 * The plugin's download URL template, GitHub-releases style: the engine fills in `${VERSION}` and fetches
 * `<url>/pulumi-resource-elastic-v<version>-<os>-<arch>.tar.gz` (pluginAssetName) when the plugin is not installed.
 */
export const PLUGIN_DOWNLOAD_URL = `${REPOSITORY}/releases/download/v\${VERSION}`;

/** The Go SDK's module (plugin/sdks/go), published by tagging `plugin/sdks/go/v<version>` in the repository. */
export const GO_MODULE = `${REPOSITORY.replace(/^https:\/\//, "")}/plugin/sdks/go`;
export const GO_IMPORT_BASE = `${GO_MODULE}/elastic`;

/**
 * The platforms the plugin tarball serves (its launcher is a POSIX shell script running `node`): the engine asks for
 * its own os and arch, so the same content is published under each name.
 */
export const PLUGIN_PLATFORMS = ["linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64"] as const;

/** The release asset's name, as the engine builds it from a pluginDownloadURL (`<kind>-<name>-v<version>-<os>-<arch>`). */
export const pluginAssetName = (version: string, platform: string): string =>
  `pulumi-resource-elastic-v${version}-${platform}.tar.gz`;

/** This machine's platform in the engine's words (Go's GOOS-GOARCH). */
export function currentPlatform(): string {
  const arch = ({ x64: "amd64", arm64: "arm64" } as Record<string, string>)[process.arch] ?? process.arch;
  return `${process.platform === "win32" ? "windows" : process.platform}-${arch}`;
}
