export * from './defaults';
export * from './secret-source';
export * from './secret-store';
export * from './external-secret';
export * from './sealed-secret';
export * from './existing-secret';
export * from './secret-env';
export * from './secret-files';
