export * from './capability';
export * from './defaults';
export * from './config-file-format';
export * from './config-files';
export * from './config-generations';
