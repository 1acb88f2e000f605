// sdkgen-java writes the Java SDK of the elastic plugin from its schema with pulumi-java's code generator
// (github.com/pulumi/pulumi-java/pkg/codegen/java, the one `pulumi package gen-sdk --language java` runs), plus what
// Maven needs to build it: a pom.xml instead of the generator's Gradle files, and the plugin.json resource through
// which a Java program tells the engine which plugin it needs. A program of its own, not part of sdkgen: this
// generator builds against pulumi pkg/v3 v3.182.0 and does not compile against the v3.259.0 the others use. Built
// by scripts/ensure-java-sdkgen.sh, run by `npm run generate`.
//
// Usage: sdkgen-java <schema.json> <version> <out dir>   writes <out dir>/java
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"text/template"

	javagen "github.com/pulumi/pulumi-java/pkg/codegen/java"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const (
	tool          = "pulumi-elastic-keys sdkgen-java"
	javagenModule = "github.com/pulumi/pulumi-java/pkg"
)

// javaSdkVersion is the version of com.pulumi:pulumi the generated code is written for: the Java SDK released with
// the generator this program was built with (both come from the pulumi-java repository at the same version).
func javaSdkVersion() (string, error) {
	info, ok := debug.ReadBuildInfo()
	if ok {
		for _, dep := range info.Deps {
			if dep.Path == javagenModule {
				return strings.TrimPrefix(dep.Version, "v"), nil
			}
		}
	}
	return "", fmt.Errorf("cannot tell which version of %s this program was built with", javagenModule)
}

// knownWarning matches what the generator prints for every secret provider setting: the generated Config class
// returns settings as plain values (as com.pulumi.Config's plain getters do), a known gap of the generator
// (pulumi/pulumi#9744) that the README states. Anything else it prints is passed on.
var knownWarning = regexp.MustCompile(`^WARN: secret property \w+ \(property of config\) does not have an Output type$`)

// quietly runs f with the generator's stdout chatter captured, and passes on what is not a known warning (stderr).
func quietly(f func() error) error {
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	stdout := os.Stdout
	os.Stdout = w
	done := make(chan []byte)
	go func() {
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(r)
		done <- buf.Bytes()
	}()
	runErr := f()
	os.Stdout = stdout
	_ = w.Close()
	for _, line := range strings.Split(strings.TrimSpace(string(<-done)), "\n") {
		if line != "" && !knownWarning.MatchString(line) {
			fmt.Fprintln(os.Stderr, line)
		}
	}
	return runErr
}

type pomData struct {
	Tool, GroupID, ArtifactID, Version, Name, Description, License, JavaSdk string
}

// The Maven build of the generated sources: Java 11 like pulumi-java itself, every plugin pinned (a build that
// needs nothing it was not given, which `mvn -o` after one online build proves).
var pomTemplate = template.Must(template.New("pom").Parse(`<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by {{.Tool}} (npm run generate) from the plugin's schema. Do not edit by hand. -->
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>{{.GroupID}}</groupId>
  <artifactId>{{.ArtifactID}}</artifactId>
  <version>{{.Version}}</version>
  <packaging>jar</packaging>
  <name>{{.Name}}</name>
  <description>{{.Description}}</description>
  <licenses>
    <license>
      <name>{{.License}}</name>
    </license>
  </licenses>

  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <maven.compiler.release>11</maven.compiler.release>
  </properties>

  <dependencies>
    <dependency>
      <groupId>com.pulumi</groupId>
      <artifactId>pulumi</artifactId>
      <version>{{.JavaSdk}}</version>
    </dependency>
    <!-- javax.annotation.Nullable in the generated code; com.pulumi:pulumi has it at runtime only. -->
    <dependency>
      <groupId>com.google.code.findbugs</groupId>
      <artifactId>jsr305</artifactId>
      <version>3.0.2</version>
    </dependency>
  </dependencies>

  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-resources-plugin</artifactId>
        <version>3.3.1</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.13.0</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-surefire-plugin</artifactId>
        <version>3.2.5</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-jar-plugin</artifactId>
        <version>3.4.1</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-install-plugin</artifactId>
        <version>3.1.2</version>
      </plugin>
    </plugins>
  </build>
</project>
`))

func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func pom(pkg *schema.Package, info javagen.PackageInfo, javaSdk string) ([]byte, error) {
	var buf bytes.Buffer
	err := pomTemplate.Execute(&buf, pomData{
		Tool:        tool,
		GroupID:     strings.TrimSuffix(info.BasePackageOrDefault(), "."),
		ArtifactID:  pkg.Name,
		Version:     pkg.Version.String(),
		Name:        xmlText(pkg.DisplayName),
		Description: xmlText(pkg.Description),
		License:     xmlText(pkg.License),
		JavaSdk:     javaSdk,
	})
	return buf.Bytes(), err
}

// pluginJSON is the resource com.pulumi's bootstrap finds on the classpath (com/<namespace>/<name>/plugin.json) to
// tell the engine the plugin's name, version and, when the schema has one, where to download it. The Gradle build
// the generator would write makes it at build time; the Maven build ships it as a source resource.
func pluginJSON(pkg *schema.Package) ([]byte, error) {
	plugin := map[string]any{"resource": true, "name": pkg.Name, "version": pkg.Version.String()}
	if pkg.PluginDownloadURL != "" {
		plugin["server"] = pkg.PluginDownloadURL
	}
	out, err := json.MarshalIndent(plugin, "", "  ")
	return append(out, '\n'), err
}

func generate(raw []byte, version string) (map[string][]byte, error) {
	javaSdk, err := javaSdkVersion()
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("parsing the schema: %w", err)
	}
	spec.Version = version
	var info javagen.PackageInfo
	if rawInfo, ok := spec.Language["java"]; ok {
		if err := json.Unmarshal(rawInfo, &info); err != nil {
			return nil, fmt.Errorf("the schema's language.java: %w", err)
		}
	}
	if !strings.HasPrefix(info.BasePackageOrDefault(), "com.") {
		// com.pulumi's bootstrap only looks for plugin.json below com/.
		return nil, fmt.Errorf("language.java.basePackage must start with \"com.\", not %q", info.BasePackage)
	}
	info.BuildFiles = "none" // Maven (pom.xml, below), not the generator's Gradle files
	// As pulumi-java-gen and the Java language host do: types whose tokens differ only in case become one.
	deduped, diags, err := javagen.DeduplicateTypes(&spec)
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("deduplicating the schema's types: %s", diags.Error())
	}
	// The schema is self-contained: no loader, so a reference to another package fails to bind.
	pkg, err := schema.ImportSpec(*deduped, nil, schema.ValidationOptions{})
	if err != nil {
		return nil, fmt.Errorf("the schema does not bind: %w", err)
	}
	pkg.Language["java"] = info
	var files map[string][]byte
	if err := quietly(func() (err error) {
		files, err = javagen.GeneratePackage(tool, pkg, nil, nil, false, false)
		return err
	}); err != nil {
		return nil, fmt.Errorf("generating the Java SDK: %w", err)
	}
	resources := "src/main/resources/" + strings.ReplaceAll(info.BasePackageOrDefault()+pkg.Name, ".", "/")
	if files[path.Join(resources, "plugin.json")], err = pluginJSON(pkg); err != nil {
		return nil, err
	}
	if files["pom.xml"], err = pom(pkg, info, javaSdk); err != nil {
		return nil, err
	}
	return files, nil
}

func run(schemaPath, version, out string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	files, err := generate(raw, version)
	if err != nil {
		return err
	}
	for name, content := range files {
		target := filepath.Join(out, "java", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: sdkgen-java <schema.json> <version> <out dir>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, "sdkgen-java:", err)
		os.Exit(1)
	}
}
