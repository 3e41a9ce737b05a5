export * from './post-restore-step';
export * from './props';
export * from './refresh-handlers';
export * from './refreshed-database';
