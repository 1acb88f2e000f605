// The SDK test stack in Java, run by the pulumi CLI through pulumi-language-java: all four resources, the role on a
// second cluster through an `elastic` provider instance; the main cluster through the default provider (the
// `elastic:*` stack config). Its own config: suffix (names), policyId, otherEndpoint/otherUsername/otherPassword.
package platformkeys;

import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumielastickeys.elastic.ApmAgentKey;
import com.pulumielastickeys.elastic.ApmAgentKeyArgs;
import com.pulumielastickeys.elastic.ApmRole;
import com.pulumielastickeys.elastic.ApmRoleArgs;
import com.pulumielastickeys.elastic.CrossClusterApiKey;
import com.pulumielastickeys.elastic.CrossClusterApiKeyArgs;
import com.pulumielastickeys.elastic.EnrollmentApiKey;
import com.pulumielastickeys.elastic.EnrollmentApiKeyArgs;
import com.pulumielastickeys.elastic.Provider;
import com.pulumielastickeys.elastic.ProviderArgs;
import com.pulumielastickeys.elastic.inputs.CrossClusterAccessArgs;
import com.pulumielastickeys.elastic.inputs.CrossClusterSearchArgs;

public class App {
    public static void main(String[] args) {
        Pulumi.run(App::stack);
    }

    private static void stack(Context ctx) {
        var config = ctx.config();
        var suffix = config.require("suffix");

        var other = new Provider("other", ProviderArgs.builder()
            .elasticsearchEndpoints(config.require("otherEndpoint"))
            .elasticsearchUsername(config.require("otherUsername"))
            .elasticsearchPassword(config.requireSecret("otherPassword"))
            .build());
        var role = new ApmRole("role", ApmRoleArgs.builder()
            .name("role-" + suffix)
            .spaces("default")
            .build(), CustomResourceOptions.builder().provider(other).build());

        var agent = new ApmAgentKey("agent", ApmAgentKeyArgs.builder()
            .name("agent-" + suffix)
            .privileges("event:write", "config_agent:read")
            .build());
        var enroll = new EnrollmentApiKey("enroll", EnrollmentApiKeyArgs.builder()
            .policyId(config.require("policyId"))
            .name("enroll-" + suffix)
            .build());
        var cc = new CrossClusterApiKey("cc", CrossClusterApiKeyArgs.builder()
            .name("cc-" + suffix)
            .access(CrossClusterAccessArgs.builder()
                .search(CrossClusterSearchArgs.builder().names("logs-*").build())
                .build())
            .build());

        ctx.export("roleName", role.name());
        ctx.export("agentKeyId", agent.keyId());
        ctx.export("agentEncoded", agent.encoded());
        ctx.export("enrollKeyId", enroll.keyId());
        ctx.export("enrollApiKeyId", enroll.apiKeyId());
        ctx.export("enrollToken", enroll.apiKey());
        ctx.export("ccKeyId", cc.keyId());
        ctx.export("ccEncoded", cc.encoded());
    }
}
