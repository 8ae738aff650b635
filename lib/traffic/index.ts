export * from './defaults';
export * from './gateway-canary-route';
export * from './istio-canary-route';
export * from './traffic-routing';
