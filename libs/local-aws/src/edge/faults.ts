import type { IncomingMessage } from 'node:http';

/** A retryable AWS error the edge answers instead of forwarding a request. */
export interface InjectedFault {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

const S3_FAULTS: readonly InjectedFault[] = [
  {
    status: 503,
    code: 'SlowDown',
    message: 'Please reduce your request rate. (injected by IMGPIPE_FAULT_RATE)',
  },
  {
    status: 500,
    code: 'InternalError',
    message: 'We encountered an internal error. Please try again. (injected by IMGPIPE_FAULT_RATE)',
  },
];
const DYNAMODB_FAULTS: readonly InjectedFault[] = [
  {
    status: 400,
    code: 'ProvisionedThroughputExceededException',
    message:
      'The level of configured provisioned throughput for the table was exceeded. (injected by IMGPIPE_FAULT_RATE)',
  },
  {
    status: 500,
    code: 'InternalServerError',
    message: 'Internal server error (injected by IMGPIPE_FAULT_RATE)',
  },
];

/** The function that sent a request, from the user agent every function's SDK clients carry (`imgpipe-fn/<name>`). */
export function callingFunction(req: IncomingMessage): string | undefined {
  const agents = `${req.headers['user-agent'] ?? ''} ${String(req.headers['x-amz-user-agent'] ?? '')}`;
  return /imgpipe-fn\/([a-z-]+)/.exec(agents)?.[1];
}

/**
 * Decides whether to fail a request on purpose: only requests made by the functions, at `rate`.
 * Client uploads and the console are never faulted.
 */
export function pickFault(
  req: IncomingMessage,
  service: 's3' | 'dynamodb',
  rate: number,
  random: () => number = Math.random,
): InjectedFault | undefined {
  if (rate <= 0 || callingFunction(req) === undefined || random() >= rate) return undefined;
  const faults = service === 's3' ? S3_FAULTS : DYNAMODB_FAULTS;
  return faults[Math.floor(random() * faults.length) % faults.length];
}
