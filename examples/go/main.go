// A first Go program with the elastic plugin's SDK: an APM agent key, its encoded form a secret output.
package main

import (
	"github.com/pulumi-elastic-keys/pulumi-elastic-keys/plugin/sdks/go/elastic"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		key, err := elastic.NewApmAgentKey(ctx, "checkout", &elastic.ApmAgentKeyArgs{
			Name:       pulumi.String("checkout-service"),
			Privileges: pulumi.StringArray{pulumi.String("event:write")},
		})
		if err != nil {
			return err
		}
		ctx.Export("checkoutApmKey", key.Encoded) // a secret
		return nil
	})
}
