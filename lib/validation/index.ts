export * from './check-manifests';
export * from './manifest-checks';
export * from './synth-checked';
