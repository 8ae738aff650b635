export * from './defaults';
export * from './platform-namespace';
