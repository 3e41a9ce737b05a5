export * from './props';
export * from './received-cluster-snapshots';
export * from './replica-region';
export * from './receiver-handlers';
