// Entry module for the serialized shim: `require("pulumi-elastic-keys/provider/cross-cluster-api-key")`.
import { shimTarget } from "../../entry";
import { crossClusterApiKeyLifecycle } from "./lifecycle";

export = shimTarget(crossClusterApiKeyLifecycle);
