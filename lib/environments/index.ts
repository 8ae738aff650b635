export * from './capability';
export * from './environment';
export * from './kubernetes-version';
export * from './rendered';
