// Pulumi's Node.js runtime logs every RegisterResource (and ReadResource) response at debug level, secret outputs
// in plaintext (runtime/resource.js: "RegisterResource RPC finished: <label>; err: …, resp: <response>"). The
// engine does not filter resource secrets out of diagnostics, so `pulumi up --debug` prints every key, and every
// engine event stream carries it even without --debug (`--event-log` files, the Automation API's onEvent).
// For our resources the message keeps its label and error and loses the response; other messages pass unchanged.
import * as pulumi from "@pulumi/pulumi";
import { RESOURCES } from "../provider/framework/registry";

type Debug = typeof pulumi.log.debug;

export const OMITTED_RESPONSE = "resp: [omitted by pulumi-elastic-keys: it carries secret outputs]";

const OUR_TYPES = RESOURCES.map((r) => r.lifecycle.definition.type).join("|");
// The label is `resource:<name>[<type token>]` (a name may contain anything, the token closes the label); the
// response is everything after the first ", resp: " that follows the error.
const OUR_RESPONSE = new RegExp(
  `^((?:Register|Read)Resource RPC finished: resource:.*\\[pulumi-nodejs:dynamic/elastic:(?:${OUR_TYPES})\\]; err: .*?), resp: .*$`,
  "s",
);

/** The message with the response cut off when it is one of our resources' RPC results; else unchanged. */
export function redactDebugMessage(msg: string): string {
  return msg.replace(OUR_RESPONSE, `$1, ${OMITTED_RESPONSE}`);
}

const WRAPPED = Symbol.for("pulumi-elastic-keys.redactDebugMessage");

/**
 * Routes `log.debug` (the module object Pulumi's runtime calls it on) through redactDebugMessage. Once per module:
 * a second copy of this SDK finds the wrapper in place.
 */
export function redactOurResponsesInDebugLog(log: { debug: Debug } = pulumi.log as { debug: Debug }): void {
  const inner = log.debug as Debug & { [WRAPPED]?: true };
  if (inner[WRAPPED]) return;
  const wrapper: Debug = (msg, ...rest) => inner(typeof msg === "string" ? redactDebugMessage(msg) : msg, ...rest);
  log.debug = Object.assign(wrapper, { [WRAPPED]: true as const });
}
