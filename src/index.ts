export * from './source/props';
export * from './source/shared-cluster-snapshots';
export * from './source/snapshot-handlers';
export * from './target';
