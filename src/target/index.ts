export * from './props';
export * from './received-cluster-snapshots';
