/** Thrown when a pipeline definition is inconsistent; the message says what was expected and received. */
export class PipelineDefinitionError extends Error {
  readonly code = 'INVALID_PIPELINE_DEFINITION';
  constructor(message: string) {
    super(message);
    this.name = 'PipelineDefinitionError';
  }
}
