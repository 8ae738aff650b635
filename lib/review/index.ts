export * from './app-records';
export * from './change-report';
export * from './defaults';
export * from './report-html';
export * from './report-markdown';
export * from './review';
export * from './rollout-plan';
export * from './rollout-svg';
