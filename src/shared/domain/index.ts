export * from './common';
export * from './fields';
