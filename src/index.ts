export * from './sharing/cluster-tag';
export * from './sharing/props';
export * from './sharing/instance-props';
export * from './sharing/snapshot-source';
export * from './sharing/shared-cluster-snapshots';
export * from './sharing/snapshot-handlers';
export * from './receiving';
export * from './shared/function-props';
