// Entry module for the serialized shim: `require("pulumi-elastic-keys/provider/enrollment-api-key")`.
import { shimTarget } from "../../entry";
import { enrollmentApiKeyLifecycle } from "./lifecycle";

export = shimTarget(enrollmentApiKeyLifecycle);
