export * from './sharing/props';
export * from './sharing/shared-cluster-snapshots';
export * from './sharing/snapshot-handlers';
export * from './receiving';
export * from './refreshing';
export * from './shared/snapshot-copies';
export * from './shared/function-props';
