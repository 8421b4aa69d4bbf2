export * from './compose';
export * from './context';
export * from './object-handler';
export * from './observability';
export * from './cdn';
