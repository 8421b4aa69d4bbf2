export { reconcile } from './run';
export type { ReconcileDeps, ReconcileReport } from './types';
