// Files derived from the resource registry are what `npm run generate` writes: the README reference tables, the
// dynamic SDK's classes, types and provider entry modules (sdk/generated/), the plugin's schema and its
// generated SDKs (plugin/sdks/). A schema, doc or output change without regenerating fails here.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { RESOURCES } from "../../provider/framework/registry";
import { DYNAMIC_GENERATED_DIR, filesBelow, generatedFiles, SDKS_DIR } from "../../scripts/generate";
import { REPO_ROOT } from "../../scripts/lib/pulumi-cli";
import { JAVA_BASE_PACKAGE } from "../../scripts/generate/plugin-schema";

/** A top-level element of a pom (the project's own, not a dependency's: the first one). */
const pomValue = (pom: string, tag: string): string | undefined =>
  pom.replace(/<dependencies>[\s\S]*<\/dependencies>/, "").match(new RegExp(`<${tag}>([^<]*)</${tag}>`))?.[1];
/** The version a pom asks for of groupId:artifactId. */
const dependencyVersion = (pom: string, group: string, artifact: string): string | undefined =>
  pom.match(
    new RegExp(`<groupId>${group}</groupId>\\s*<artifactId>${artifact}</artifactId>\\s*<version>([^<]*)</version>`),
  )?.[1];

describe("generated files (run `npm run generate` to update)", async () => {
  const files = await generatedFiles();
  for (const [file, content] of Object.entries(files))
    it(`${file} is up to date`, () => {
      expect(readFileSync(path.join(REPO_ROOT, file), "utf8")).toBe(content);
    });

  it(`${SDKS_DIR}/ holds only what the generators write, for TypeScript, Python, Go and Java`, () => {
    const written = Object.keys(files).filter((f) => f.startsWith(`${SDKS_DIR}/`));
    // Maven's build output after the README's `mvn install` in plugin/sdks/java (ignored by git) is not a stray file.
    const committed = filesBelow(path.join(REPO_ROOT, SDKS_DIR)).filter((f) => !f.startsWith("java/target/"));
    expect(committed.map((f) => `${SDKS_DIR}/${f}`)).toEqual(written.sort());
    for (const lang of ["nodejs", "python", "go", "java"])
      expect(written.some((f) => f.startsWith(`${SDKS_DIR}/${lang}/`))).toBe(true);
  });

  it(`${DYNAMIC_GENERATED_DIR}/ holds only what the generator writes: the classes and one provider entry per resource`, () => {
    const written = Object.keys(files).filter((f) => f.startsWith(`${DYNAMIC_GENERATED_DIR}/`));
    expect(filesBelow(path.join(REPO_ROOT, DYNAMIC_GENERATED_DIR)).map((f) => `${DYNAMIC_GENERATED_DIR}/${f}`)).toEqual(
      written.sort(),
    );
    for (const r of RESOURCES) expect(written).toContain(`${DYNAMIC_GENERATED_DIR}/providers/${r.folder}.ts`);
  });

  it("the generated SDKs carry the schema's descriptions as docstrings and the package version", () => {
    const doc = "Kibana spaces whose APM feature (`feature_apm.all`) the role grants";
    const java = `java/src/main/java/${JAVA_BASE_PACKAGE.replace(/\./g, "/")}/elastic`;
    for (const file of [
      "nodejs/apmRole.ts",
      "python/pulumi_elastic_keys/apm_role.py",
      "go/elastic/apmRole.go",
      `${java}/ApmRole.java`,
    ])
      expect(files[`${SDKS_DIR}/${file}`], file).toContain(doc);
    const version = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string })
      .version;
    expect(files[`${SDKS_DIR}/python/pyproject.toml`]).toContain(`version = "${version}"`);
    expect(JSON.parse(files[`${SDKS_DIR}/nodejs/package.json`]).version).toBe(version);
    const javaResources = `${SDKS_DIR}/java/src/main/resources/${JAVA_BASE_PACKAGE.replace(/\./g, "/")}/elastic`;
    expect(files[`${javaResources}/version.txt`]).toBe(version);
    expect(JSON.parse(files[`${javaResources}/plugin.json`])).toMatchObject({
      resource: true,
      name: "elastic",
      version,
    });
    expect(pomValue(files[`${SDKS_DIR}/java/pom.xml`], "version")).toBe(version);
  });

  it("the Java SDK's pom builds on the com.pulumi:pulumi of the generator's release, which the Java test program uses", () => {
    const sdkPom = files[`${SDKS_DIR}/java/pom.xml`];
    const javaSdk = dependencyVersion(sdkPom, "com.pulumi", "pulumi");
    const setup = readFileSync(path.join(REPO_ROOT, "scripts/lib/java.sh"), "utf8");
    expect(setup).toContain(`PULUMI_JAVA_VERSION="${javaSdk}"`);
    const program = readFileSync(path.join(REPO_ROOT, "test/sdk/java/pom.xml"), "utf8");
    expect(dependencyVersion(program, "com.pulumi", "pulumi")).toBe(javaSdk);
    expect(dependencyVersion(program, JAVA_BASE_PACKAGE, "elastic")).toBe(pomValue(sdkPom, "version"));
  });

  it("the README documents every resource of the registry, and the settings", () => {
    const readme = files["README.md"];
    expect(readme).toMatch(/<!-- generated:settings -->\n\| stack config/);
    for (const r of RESOURCES)
      expect(readme).toMatch(
        new RegExp(
          `<!-- generated:resources -->[\\s\\S]*### ${r.lifecycle.definition.type}\\n[\\s\\S]*<!-- /generated:resources -->`,
        ),
      );
  });
});
