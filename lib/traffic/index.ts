export * from './defaults';
export * from './gateway-canary-route';
export * from './istio-canary-route';
export * from './service-routes';
export * from './traffic-routing';
