export * from './errors';
export * from './names';
export * from './quantity';
export * from './unit';
