export * from './defaults';
export * from './service-level-objective';
export * from './slo-metrics';
