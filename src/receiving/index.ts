export * from './props';
export * from './received-cluster-snapshots';
export * from './receiver-handlers';
