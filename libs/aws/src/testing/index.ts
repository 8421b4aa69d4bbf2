export * from './local-aws';
export * from './pipeline-servers';
export * from './run-bundle';
