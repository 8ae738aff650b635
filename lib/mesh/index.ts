export * from './capability';
export * from './defaults';
export * from './mesh-authorization';
export * from './mesh-namespace';
export * from './mesh-options';
export * from './mesh-settings';
export * from './workload-authorization';
