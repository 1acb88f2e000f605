"""One phase of the SDK test stack through the plugin's generated Python SDK (pulumi_elastic_keys), as an
Automation API inline program. Request on stdin (JSON), result on stdout (one JSON line). See ../README.md."""
import json
import sys

import pulumi
import pulumi.automation as auto
import pulumi_elastic_keys as elastic


def provider(name, cluster):
    return elastic.Provider(
        name,
        elasticsearch_endpoints=cluster["esUrl"],
        elasticsearch_username=cluster["username"],
        elasticsearch_password=pulumi.Output.secret(cluster["password"]),
        kibana_endpoint=cluster.get("kibanaUrl"),
        kibana_username=cluster["username"],
        kibana_password=pulumi.Output.secret(cluster["password"]),
    )


def program(req):
    def run():
        s = req["suffix"]
        main = provider("main", req["main"])
        other = provider("other", req["other"])
        on_main = pulumi.ResourceOptions(provider=main)
        role = elastic.ApmRole(
            "role", name=f"role-{s}", spaces=["default"], opts=pulumi.ResourceOptions(provider=other)
        )
        agent = elastic.ApmAgentKey(
            "agent", name=f"agent-{s}", privileges=["event:write", "config_agent:read"], opts=on_main
        )
        enroll = elastic.EnrollmentApiKey("enroll", policy_id=req["policyId"], name=f"enroll-{s}", opts=on_main)
        cc = elastic.CrossClusterApiKey(
            "cc",
            name=f"cc-{s}",
            access=elastic.CrossClusterAccessArgs(search=[elastic.CrossClusterSearchArgs(names=["logs-*"])]),
            opts=on_main,
        )
        pulumi.export("roleName", role.name)
        pulumi.export("agentKeyId", agent.key_id)
        pulumi.export("agentEncoded", agent.encoded)
        pulumi.export("enrollKeyId", enroll.key_id)
        pulumi.export("enrollApiKeyId", enroll.api_key_id)
        pulumi.export("enrollToken", enroll.api_key)
        pulumi.export("ccKeyId", cc.key_id)
        pulumi.export("ccEncoded", cc.encoded)

    return run


def main():
    req = json.load(sys.stdin)
    opts = auto.LocalWorkspaceOptions(
        pulumi_home=req["pulumiHome"],
        env_vars=req["env"],
        pulumi_command=auto.PulumiCommand(root=req["cliRoot"], skip_version_check=True),
        project_settings=auto.ProjectSettings(name=req["projectName"], runtime="python"),
    )
    stack = auto.create_or_select_stack(req["stackName"], req["projectName"], program(req), opts=opts)
    if req["phase"] == "up":
        result = stack.up(on_output=lambda line: print(line, file=sys.stderr))
        outputs = {k: {"value": v.value, "secret": v.secret} for k, v in result.outputs.items()}
    else:
        stack.destroy(on_output=lambda line: print(line, file=sys.stderr))
        stack.workspace.remove_stack(req["stackName"])
        outputs = {}
    print(json.dumps({"outputs": outputs}))


main()
