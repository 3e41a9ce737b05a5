/** A tag that marks DB clusters (`clusterTag`) or DB instances (`instanceTag`) to snapshot, looked up at run time. */
export interface ClusterTag {
  /** The tag key, e.g. `share-snapshots`. */
  readonly key: string;
  /** The tag value a cluster must carry, e.g. `true`. */
  readonly value: string;
}
