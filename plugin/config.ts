// The provider configuration of the plugin: the same settings as the dynamic resources (provider/elastic/settings.ts),
// given as a provider resource's inputs (an explicit `elastic` provider, or the default one from `elastic:*` stack
// config), then the Terraform-compatible env vars. What the engine tells the plugin decides everything here, never a
// provider's name (the engine tells nothing more: a default provider is only a name to it):
// - CheckConfig records, in the provider's checked inputs, the endpoints it resolved (inputs, then env vars: the
//   cluster its resources will live on) and whether the provider is configured from the stack config (every `elastic:*`
//   input equal to the current stack config, which the engine hands every plugin process in PULUMI_CONFIG);
// - DiffConfig asks for replacement exactly when the cluster changes (settings.ts, clusterChanges), so the engine
//   creates the resources with the new provider and deletes them with the old one, configured from its record;
// - Configure takes the endpoints from the record, and the rest by the one precedence (settings.ts, settingsFor).
import {
  clusterChanges,
  IDENTITY_SETTINGS,
  SECRET_SETTINGS,
  SETTINGS,
  settingsFor,
  type SettingName,
  type SettingSpec,
  type SettingsSource,
} from "../provider/elastic/settings";

type Props = Record<string, unknown>;
type Env = Readonly<Record<string, string | undefined>>;

const CONFIG_KEYS = new Set((Object.values(SETTINGS) as SettingSpec[]).map((s) => s.config));

/** Provider inputs the engine adds itself (not settings). */
const ENGINE_KEYS = new Set(["version", "pluginDownloadURL"]);

/** Hidden provider input: configured from the stack config when CheckConfig last ran (README, Configuration). */
export const STACK_CONFIGURED_INPUT = "__stackConfigured";

/** The inputs of secret settings: always stored as secrets, however they were given. */
export const SECRET_INPUTS: readonly string[] = SECRET_SETTINGS.map((n) => SETTINGS[n].config);

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
export function currentStackConfig(env: Env): Record<string, string> {
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

/** Whether provider inputs are the current stack config: every `elastic:*` setting equal, absent equal to absent. */
export function isStackConfigured(inputs: Props, env: Env): boolean {
  const current = currentStackConfig(env);
  return [...CONFIG_KEYS].every((k) => (asString(inputs[k]) ?? "") === (current[k] ?? ""));
}

/**
 * CheckConfig's inputs: the given ones, the endpoints they leave unset resolved from the env vars (so the record
 * always names the provider's cluster), and whether they are the stack config. Credentials from the env are never
 * recorded.
 */
export function checkedProviderInputs(news: Props, env: Env): Props {
  const inputs: Props = { ...news, [STACK_CONFIGURED_INPUT]: isStackConfigured(news, env) };
  for (const name of IDENTITY_SETTINGS) {
    const spec: SettingSpec = SETTINGS[name];
    if (asString(news[spec.config])) continue;
    const fromEnv = spec.env.map((e) => env[e]).find((v) => v !== undefined && v !== "");
    if (fromEnv !== undefined) inputs[spec.config] = fromEnv;
  }
  return inputs;
}

/** DiffConfig: every changed setting, and those whose change moves the resources to another cluster. */
export function providerConfigDiff(olds: Props, news: Props): { changed: string[]; replaces: string[] } {
  const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => k !== STACK_CONFIGURED_INPUT);
  const changed = keys.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
  const source = (p: Props): SettingsSource => ({ config: configOf(p, {}), env: {} });
  const replaces = clusterChanges(source(olds), source(news)).map((n: SettingName) => SETTINGS[n].config);
  return { changed, replaces };
}

/** Configure: the settings every operation of this provider uses (README, Configuration: the precedence). */
export function providerSettings(args: Props, variables: Record<string, string>, env: Env): SettingsSource {
  const recorded = args[STACK_CONFIGURED_INPUT];
  // State recorded before the flag existed: decided the same way, from what was recorded.
  const stackConfigured = typeof recorded === "boolean" ? recorded : isStackConfigured(args, env);
  return settingsFor(
    { frontEnd: "plugin", stackConfigured },
    configOf(args, variables),
    env,
    stackConfigured ? currentStackConfig(env) : undefined,
  );
}

/** Provider inputs that are not settings: refused by CheckConfig, as a typo would be in a resource. */
export function unknownKeys(args: Props): string[] {
  return Object.keys(args).filter((k) => !CONFIG_KEYS.has(k) && !ENGINE_KEYS.has(k) && !k.startsWith("__"));
}
