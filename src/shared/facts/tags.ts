/**
 * Tag keys on what the constructs create, and the rules RDS holds tags to.
 *
 * A fact module (see ../constants.ts): imported by the constructs and the handlers, so it imports
 * only other fact modules.
 */
/** Tag keys on every snapshot this construct creates. A deletion requires all of them to match. */
export const TAG_OWNER = 'shared-cluster-snapshots:owner';
export const TAG_CLUSTER = 'shared-cluster-snapshots:cluster';
export const TAG_ROLE = 'shared-cluster-snapshots:role';
export const TAG_RUN = 'shared-cluster-snapshots:run';
/** Tags under this prefix are the construct's own: users may not set them. */
export const RESERVED_TAG_PREFIX = 'shared-cluster-snapshots:';

/** Tag keys on every copy the receiver makes. Deleting a copy requires them to match. */
export const TARGET_TAG_OWNER = 'received-cluster-snapshots:owner';
export const TARGET_TAG_SOURCE_ACCOUNT = 'received-cluster-snapshots:source-account';
export const TARGET_TAG_SOURCE_CLUSTER = 'received-cluster-snapshots:source-cluster';
export const TARGET_TAG_SOURCE_SNAPSHOT = 'received-cluster-snapshots:source-snapshot-arn';

/**
 * Tag on every copy: the source snapshot's creation time (ISO-8601). Copies are ordered, and their
 * freshness measured, by when the source data was taken, not by when the copy was made.
 */
export const TARGET_TAG_SOURCE_SNAPSHOT_TIME = 'received-cluster-snapshots:source-snapshot-time';

/** RDS: "Each Amazon RDS resource can have up to 50 tags" (Aurora User Guide, "Tagging Amazon RDS resources"). */
export const MAX_TAGS_PER_RESOURCE = 50;
/** The tags this construct itself puts on every snapshot (TAG_OWNER, TAG_CLUSTER, TAG_ROLE, TAG_RUN). */
export const OWN_SNAPSHOT_TAG_COUNT = 4;
/**
 * RDS tag keys are 1-128 characters, values 0-256; neither may start with `aws:` or `rds:` (RDS API
 * Reference, `Tag`; the same text is on the `Tag` shape of `@aws-sdk/client-rds`).
 */
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
/** RDS tag keys and values: Unicode letters, digits, white space and `_ . : / = + - @` (the `Tag` shape's Java regex). */
export const TAG_CHARACTERS_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** Prefixes RDS refuses in tag keys and values (the `Tag` shape); `snapshotTags` also refuses `RESERVED_TAG_PREFIX` in keys. */
export const AWS_RESERVED_TAG_PREFIXES = ['aws:', 'rds:'] as const;

/**
 * A target's confirmation that it copied a shared snapshot: tag `<prefix><target account>` on the
 * shared snapshot, value the time it was recorded (ISO-8601). Only the confirmation handler sets it.
 */
export const TAG_COPIED_PREFIX = 'shared-cluster-snapshots:copied-';
/**
 * The value CleanUp gives that tag on the new snapshot for every target known to run a receiver:
 * awaited, not confirmed yet. It carries the knowledge of who runs a receiver past the deletion of
 * the snapshots they confirmed, so a receiver that is down keeps the next snapshots too.
 */
export const COPY_PENDING = 'pending';
