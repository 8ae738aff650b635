export * from './defaults';
export * from './node-pool-props';
export * from './registry';
export * from './team';
export * from './access';
export * from './priority-classes';
export * from './priority';
export * from './node-pool';
