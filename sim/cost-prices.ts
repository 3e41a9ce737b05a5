/**
 * List prices the cost model (sim/cost-model.ts) uses: us-east-1, on-demand, no free tier, in US
 * dollars. Each names the AWS pricing page it comes from, and how it was checked on PRICES_TAKEN with
 * the search tool: "AWS" (read on AWS's own page), "guides" (AWS's page renders its price table with
 * script; the figure is the one third-party pricing guides of 2026 quote for us-east-1, several
 * agreeing), or "not confirmed" (no current source found; the figure is the long-standing list price).
 */

/** The day the prices below were taken. */
export const PRICES_TAKEN = '2026-12-06';

/** Hours in a month, as AWS's pricing pages and calculator count them. */
export const HOURS_PER_MONTH = 730;

/** "AWS Step Functions pricing", Standard Workflows: $0.025 per 1,000 state transitions, retries included. Guides (retries counted: AWS). */
export const STEP_FUNCTIONS_PER_TRANSITION = 0.025 / 1000;

/** "AWS Lambda pricing": $0.20 per 1M requests. Guides. */
export const LAMBDA_PER_REQUEST = 0.2 / 1_000_000;
/** "AWS Lambda pricing", duration per GB-second, first tier, by architecture. Guides. */
export const LAMBDA_PER_GB_SECOND: Record<string, number> = {
  arm64: 0.0000133334,
  x86_64: 0.0000166667,
};

/** "AWS Key Management Service pricing": $1 a month per customer managed key. AWS. */
export const KMS_PER_KEY_MONTH = 1;
/**
 * "AWS Key Management Service pricing": with automatic rotation, "each newly generated backing key
 * costs an additional $1/month" (AWS). AWS capped this at the first two rotations in 2024 (not
 * confirmed). The model prices a key's first year, before any rotation.
 */
export const KMS_PER_ROTATION_MONTH = 1;
/** "AWS Key Management Service pricing": $0.03 per 10,000 symmetric requests. Guides. */
export const KMS_PER_REQUEST = 0.03 / 10_000;

/**
 * "Amazon CloudWatch pricing", Metrics: $0.30 per custom metric a month (first 10,000), each metric
 * name and dimension set a metric of its own. Guides. The page says custom metrics are prorated by the
 * hour and metered only when sent (not confirmed): the model bills each metric for the hours it got data.
 */
export const CLOUDWATCH_PER_METRIC_MONTH = 0.3;
/** "Amazon CloudWatch pricing", Alarms: $0.10 per standard-resolution alarm metric a month (a metric math alarm pays for each metric it reads). Guides. */
export const CLOUDWATCH_PER_ALARM_METRIC_MONTH = 0.1;
/** "Amazon CloudWatch pricing", Dashboards: $3 per dashboard a month (the first 3 of the account free, which the model ignores). Guides. */
export const CLOUDWATCH_PER_DASHBOARD_MONTH = 3;
/** "Amazon CloudWatch pricing", Logs, Standard class: $0.50 per GB ingested (vended logs such as Step Functions' too, up to 10 TB). Guides. */
export const LOGS_PER_GB_INGESTED = 0.5;
/** "Amazon CloudWatch pricing", Logs: $0.03 per GB-month stored. Guides. AWS bills the stored logs compressed: the model bills the uncompressed bytes, an upper bound. */
export const LOGS_PER_GB_MONTH = 0.03;
/**
 * Bytes CloudWatch Logs counts per log event on top of its message (CloudWatch Logs API Reference,
 * PutLogEvents: "the sum of all event messages in UTF-8, plus 26 bytes for each log event"). That the
 * ingestion bill counts them too is not confirmed: the model counts them (an upper bound).
 */
export const LOG_EVENT_OVERHEAD_BYTES = 26;

/** "Amazon EventBridge pricing": $1.00 per 1M custom events put, on this account's bus or another account's (billed to the sender). Guides. */
export const EVENTBRIDGE_PER_EVENT = 1 / 1_000_000;
/** "Amazon EventBridge pricing", Scheduler: $1.00 per 1M invocations (after 14M free a month, which the model ignores). Guides. */
export const SCHEDULER_PER_INVOCATION = 1 / 1_000_000;

/** "AWS X-Ray pricing": $5.00 per 1M traces recorded (after 100,000 free a month, which the model ignores). AWS. */
export const XRAY_PER_TRACE = 5 / 1_000_000;

/**
 * "Amazon Aurora pricing", Backup storage: $0.021 per GB-month. Not confirmed. Aurora bills no
 * manual snapshot while its creation time is within the cluster's backup retention period, and a
 * copy under another key is a full copy (Aurora User Guide, "Understanding Amazon Aurora backup
 * storage usage"): the model bills every copy in full, an upper bound in the source account.
 */
export const AURORA_BACKUP_PER_GB_MONTH = 0.021;

/**
 * KMS requests RDS makes on the caller's behalf per snapshot copy under a KMS key (grants, data
 * keys, decrypts): AWS does not document the number. An assumption, printed as one.
 */
export const ASSUMED_KMS_REQUESTS_PER_COPY = 10;
