// Entry module for the serialized shim: `require("pulumi-elastic-keys/provider/apm-role")`.
import { shimTarget } from "../../entry";
import { apmRoleLifecycle } from "./lifecycle";

export = shimTarget(apmRoleLifecycle);
