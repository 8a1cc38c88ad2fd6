// The AWS SDK for JavaScript warns, once per thread that creates a client, in 9 lines, that its releases after the
// first week of January 2027 require Node 22 (@aws-sdk/core's emitWarningIfUnsupportedVersion). jury says it once
// per run, in one line (awsNodeSupportWarning), and creates its clients with the SDK's own switch for that warning.

/** The environment variable @aws-sdk/core reads, when a client is created, to skip its NodeVersionSupportWarning. */
const SDK_WARNING_SWITCH = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";

/** The first Node major the AWS SDK supports after January 2027. */
const AWS_SDK_MIN_NODE = 22;

/**
 * Creates an AWS SDK client (`create` runs synchronously) without the SDK's Node-version warning: the switch is
 * on only while the client's config is built, so nothing else ever sees it. A run says it once instead.
 */
export function withoutNodeVersionWarning<T>(create: () => T): T {
  const before = process.env[SDK_WARNING_SWITCH];
  process.env[SDK_WARNING_SWITCH] = "true";
  try {
    return create();
  } finally {
    if (before === undefined) delete process.env[SDK_WARNING_SWITCH];
    else process.env[SDK_WARNING_SWITCH] = before;
  }
}

/**
 * The one line a run on this Node prints when it calls AWS (pure): undefined from Node 22 on, or without an AWS
 * provider in the run.
 */
export function awsNodeSupportWarning(nodeVersion: string, providers: Iterable<string>): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(nodeVersion)?.[1]);
  if (!(major < AWS_SDK_MIN_NODE) || ![...providers].includes("bedrock")) return undefined;
  return `Node ${major} is past end of life; the AWS SDK drops support for it in January 2027 — upgrade to Node ${AWS_SDK_MIN_NODE} or 24`;
}
