/** Thrown when a pipeline definition is inconsistent; the message says what was expected and received. */
export class PipelineDefinitionError extends Error {
  readonly code = 'INVALID_PIPELINE_DEFINITION';
  constructor(message: string) {
    super(message);
    this.name = 'PipelineDefinitionError';
  }
}

/** Thrown for a schedule expression EventBridge would refuse (`cron(...)` / `rate(...)`). */
export class ScheduleExpressionError extends Error {
  readonly code = 'INVALID_SCHEDULE';
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleExpressionError';
  }
}
