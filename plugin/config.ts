// The provider configuration of the plugin: the same settings as the dynamic resources (provider/elastic/settings.ts), given
// as a provider resource's inputs (an explicit `elastic` provider, or the default one from `elastic:*` stack config),
// then the Terraform-compatible env vars. A default provider takes the *current* `elastic:*` stack config, which the
// engine hands every plugin process in PULUMI_CONFIG, over what it recorded at the last `up`: changed credentials
// take effect on the next refresh and destroy too.
import { SETTINGS, type SettingSpec } from "../provider/elastic/settings";

type Props = Record<string, unknown>;

const CONFIG_KEYS = new Set((Object.values(SETTINGS) as SettingSpec[]).map((s) => s.config));

/** Provider inputs the engine adds itself (not settings). */
const ENGINE_KEYS = new Set(["version", "pluginDownloadURL"]);

const asString = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : typeof v === "string" ? v : JSON.stringify(v);

/** Stack config values by setting key, from provider inputs (args) or the engine's `elastic:config:<key>` variables. */
export function configOf(args: Props, variables: Record<string, string>): Record<string, string | undefined> {
  const config: Record<string, string | undefined> = {};
  for (const key of CONFIG_KEYS) {
    config[key] = asString(args[key]) ?? variables[`elastic:config:${key}`] ?? variables[`elastic:${key}`];
  }
  return config;
}

/** The current `elastic:*` stack config (PULUMI_CONFIG, set by the engine for the `elastic` plugin). */
export function currentStackConfig(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  try {
    const parsed = JSON.parse(env.PULUMI_CONFIG ?? "{}") as Props;
    return Object.fromEntries(
      Object.entries(parsed)
        .filter(([k]) => CONFIG_KEYS.has(k))
        .map(([k, v]) => [k, asString(v) ?? ""]),
    );
  } catch {
    return {};
  }
}

/** A default provider (`…::pulumi:providers:elastic::default…`) is configured from the stack config. */
export const isDefaultProvider = (urn: string): boolean => /::pulumi:providers:elastic::default(_[\w-]+)?$/.test(urn);

/** Provider inputs that are not settings: refused by CheckConfig, as a typo would be in a resource. */
export function unknownKeys(args: Props): string[] {
  return Object.keys(args).filter((k) => !CONFIG_KEYS.has(k) && !ENGINE_KEYS.has(k) && !k.startsWith("__"));
}
