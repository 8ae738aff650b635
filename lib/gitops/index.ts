export * from './environment';
export * from './gitops-app';
export * from './layout';
export * from './dist-writer';
export * from './serialize';
