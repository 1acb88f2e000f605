module example.com/platform-keys

go 1.25.11

require (
	github.com/pulumi-elastic-keys/pulumi-elastic-keys/plugin/sdks/go v0.1.0
	github.com/pulumi/pulumi/sdk/v3 v3.259.0
)
