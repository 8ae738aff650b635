export * from './change-calendar';
export * from './clock';
export * from './defaults';
export * from './freeze-window';
export * from './promotion';
export * from './promotion-ledger';
export * from './capability';
