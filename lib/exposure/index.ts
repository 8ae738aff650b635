export * from './capability';
export * from './defaults';
export * from './edge-declaration';
export * from './exposed-route';
export * from './exposure';
