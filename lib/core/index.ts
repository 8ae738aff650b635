export * from './errors';
export * from './names';
export * from './quantity';
export * from './scope';
export * from './unit';
