// One phase of the SDK test stack through the plugin's generated Go SDK, as an Automation API inline program.
// Request on stdin (JSON), result on stdout (one JSON line). See ../README.md.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pulumi-elastic-keys/pulumi-elastic-keys/plugin/sdks/go/elastic"
)

type cluster struct {
	EsURL     string `json:"esUrl"`
	KibanaURL string `json:"kibanaUrl"`
	Username  string `json:"username"`
	Password  string `json:"password"`
}

type request struct {
	Phase       string            `json:"phase"`
	StackName   string            `json:"stackName"`
	ProjectName string            `json:"projectName"`
	PulumiHome  string            `json:"pulumiHome"`
	CliRoot     string            `json:"cliRoot"`
	Env         map[string]string `json:"env"`
	Suffix      string            `json:"suffix"`
	PolicyID    string            `json:"policyId"`
	Main        cluster           `json:"main"`
	Other       cluster           `json:"other"`
}

func provider(ctx *pulumi.Context, name string, c cluster) (*elastic.Provider, error) {
	args := &elastic.ProviderArgs{
		ElasticsearchEndpoints: pulumi.StringPtr(c.EsURL),
		ElasticsearchUsername:  pulumi.StringPtr(c.Username),
		ElasticsearchPassword:  pulumi.ToSecret(pulumi.String(c.Password)).(pulumi.StringOutput).ToStringPtrOutput(),
		KibanaUsername:         pulumi.StringPtr(c.Username),
		KibanaPassword:         pulumi.ToSecret(pulumi.String(c.Password)).(pulumi.StringOutput).ToStringPtrOutput(),
	}
	if c.KibanaURL != "" {
		args.KibanaEndpoint = pulumi.StringPtr(c.KibanaURL)
	}
	return elastic.NewProvider(ctx, name, args)
}

func program(req request) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		s := req.Suffix
		main, err := provider(ctx, "main", req.Main)
		if err != nil {
			return err
		}
		other, err := provider(ctx, "other", req.Other)
		if err != nil {
			return err
		}
		role, err := elastic.NewApmRole(ctx, "role", &elastic.ApmRoleArgs{
			Name:   pulumi.String("role-" + s),
			Spaces: pulumi.StringArray{pulumi.String("default")},
		}, pulumi.Provider(other))
		if err != nil {
			return err
		}
		agent, err := elastic.NewApmAgentKey(ctx, "agent", &elastic.ApmAgentKeyArgs{
			Name:       pulumi.String("agent-" + s),
			Privileges: pulumi.StringArray{pulumi.String("event:write"), pulumi.String("config_agent:read")},
		}, pulumi.Provider(main))
		if err != nil {
			return err
		}
		enroll, err := elastic.NewEnrollmentApiKey(ctx, "enroll", &elastic.EnrollmentApiKeyArgs{
			PolicyId: pulumi.String(req.PolicyID),
			Name:     pulumi.StringPtr("enroll-" + s),
		}, pulumi.Provider(main))
		if err != nil {
			return err
		}
		cc, err := elastic.NewCrossClusterApiKey(ctx, "cc", &elastic.CrossClusterApiKeyArgs{
			Name: pulumi.String("cc-" + s),
			Access: &elastic.CrossClusterAccessArgs{
				Search: elastic.CrossClusterSearchArray{
					&elastic.CrossClusterSearchArgs{Names: pulumi.StringArray{pulumi.String("logs-*")}},
				},
			},
		}, pulumi.Provider(main))
		if err != nil {
			return err
		}
		ctx.Export("roleName", role.Name)
		ctx.Export("agentKeyId", agent.KeyId)
		ctx.Export("agentEncoded", agent.Encoded)
		ctx.Export("enrollKeyId", enroll.KeyId)
		ctx.Export("enrollApiKeyId", enroll.ApiKeyId)
		ctx.Export("enrollToken", enroll.ApiKey)
		ctx.Export("ccKeyId", cc.KeyId)
		ctx.Export("ccEncoded", cc.Encoded)
		return nil
	}
}

func run() error {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		return fmt.Errorf("reading the request: %w", err)
	}
	ctx := context.Background()
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: req.CliRoot, SkipVersionCheck: true})
	if err != nil {
		return err
	}
	stack, err := auto.UpsertStackInlineSource(ctx, req.StackName, req.ProjectName, program(req),
		auto.PulumiHome(req.PulumiHome),
		auto.EnvVars(req.Env),
		auto.Pulumi(cmd),
		auto.Project(workspace.Project{Name: "pek-go-sdk", Runtime: workspace.NewProjectRuntimeInfo("go", nil)}),
	)
	if err != nil {
		return err
	}
	outputs := map[string]map[string]any{}
	if req.Phase == "up" {
		res, err := stack.Up(ctx, optup.ProgressStreams(os.Stderr))
		if err != nil {
			return err
		}
		for k, v := range res.Outputs {
			outputs[k] = map[string]any{"value": v.Value, "secret": v.Secret}
		}
	} else {
		if _, err := stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stderr)); err != nil {
			return err
		}
		if err := stack.Workspace().RemoveStack(ctx, req.StackName); err != nil {
			return err
		}
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{"outputs": outputs})
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "go sdk driver:", err)
		os.Exit(1)
	}
}
