export * from './capability';
export * from './backup-schedule';
export * from './claim-sizes';
export * from './defaults';
export * from './size';
export * from './storage-class';
export * from './storage-class-props';
