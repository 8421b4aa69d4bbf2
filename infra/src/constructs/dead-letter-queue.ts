import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  readonly queueName: string;
  /** How long a parked event is kept, in seconds. Default 14 days (SQS's maximum). */
  readonly retentionSeconds?: number;
}

/**
 * The one dead-letter queue for every function's failed async invocations and every rule
 * target's undeliverable events. Encrypted with SSE-SQS; its resource policy is added by the
 * rules, which know the rule ARNs it must be scoped to.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: SqsQueue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new SqsQueue(this, 'queue', {
      name: props.queueName,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: props.retentionSeconds ?? 14 * 24 * 60 * 60,
    });
  }
}
