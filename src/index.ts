export * from './props';
export * from './shared-cluster-snapshots';
