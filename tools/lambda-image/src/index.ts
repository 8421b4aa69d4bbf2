export * from './assemble';
export * from './dockerfile';
export * from './errors';
export { lockfileFor, readWorkspaceLockfile, type LockedPackage, type Lockfile } from './lockfile';
export * from './sharp';
