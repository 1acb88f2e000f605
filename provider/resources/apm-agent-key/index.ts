// Entry module for the serialized shim: `require("pulumi-elastic-keys/provider/apm-agent-key")`.
import { shimTarget } from "../../entry";
import { apmAgentKeyLifecycle } from "./lifecycle";

export = shimTarget(apmAgentKeyLifecycle);
