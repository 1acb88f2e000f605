// sdkgen writes the SDKs of the elastic plugin from its schema with the nodejs, python and go code generators of
// github.com/pulumi/pulumi/pkg/v3 — the ones `pulumi package gen-sdk` runs, called directly because that command
// also needs each language's plugin, which cannot be had on every machine. Built by scripts/ensure-sdkgen.sh and run
// by scripts/generate.ts (npm run generate).
//
// Usage: sdkgen <schema.json> <version> <out dir>   writes <out dir>/{nodejs,python,go}
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pulumi-elastic-keys sdkgen"

// noLoader refuses every lookup: the elastic schema refers to no other package.
type noLoader struct{}

func refuse(name string) error {
	return fmt.Errorf("the schema refers to package %q: it must be self-contained", name)
}

func (noLoader) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) { return nil, refuse(pkg) }
func (noLoader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, refuse(d.Name)
}
func (noLoader) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, refuse(pkg)
}
func (noLoader) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, refuse(d.Name)
}

// bind parses and binds the schema afresh (each generator records its language info in the package it is given).
func bind(raw []byte, version string) (*schema.Package, error) {
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("parsing the schema: %w", err)
	}
	spec.Version = version
	pkg, diags, err := schema.BindSpec(spec, noLoader{}, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("the schema does not bind: %s", diags.Error())
	}
	return pkg, nil
}

func write(dir string, files map[string][]byte) error {
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func run(schemaPath, version, out string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	generators := []struct {
		lang string
		gen  func(*schema.Package) (map[string][]byte, error)
	}{
		{"nodejs", func(p *schema.Package) (map[string][]byte, error) {
			return nodejs.GeneratePackage(tool, p, nil, nil, false, noLoader{})
		}},
		{"python", func(p *schema.Package) (map[string][]byte, error) {
			return python.GeneratePackage(tool, p, nil, noLoader{})
		}},
		{"go", func(p *schema.Package) (map[string][]byte, error) { return gogen.GeneratePackage(tool, p, nil) }},
	}
	for _, g := range generators {
		pkg, err := bind(raw, version)
		if err != nil {
			return err
		}
		files, err := g.gen(pkg)
		if err != nil {
			return fmt.Errorf("generating the %s SDK: %w", g.lang, err)
		}
		if err := write(filepath.Join(out, g.lang), files); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: sdkgen <schema.json> <version> <out dir>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, "sdkgen:", err)
		os.Exit(1)
	}
}
