import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { LambdaContext } from '@imgpipe/lambda-kit';
import type { Context } from 'aws-lambda';
import { runtime } from './composition';
import { createRouter } from './router';

const router = createRouter(runtime);

/**
 * The api Lambda: API Gateway HTTP API events (payload 2.0) in, the routes of `API_ROUTES` out.
 * API Gateway has already verified the JWT; the handler reads its claims.
 */
export const handler = async (event: unknown, context: LambdaContext) => {
  const { logger, metrics } = runtime();
  logger.appendKeys({ awsRequestId: context.awsRequestId });
  try {
    const started = performance.now();
    const result = await router.resolve(event, context as unknown as Context);
    const status = (result as { statusCode?: number }).statusCode ?? 500;
    const request = (event as { routeKey?: unknown; rawPath?: unknown } | null) ?? {};
    logger.info('Answered', {
      routeKey: request.routeKey,
      path: request.rawPath,
      status,
      ms: Math.round(performance.now() - started),
    });
    metrics.addMetric('requests', MetricUnit.Count, 1);
    if (status >= 500) metrics.addMetric('serverErrors', MetricUnit.Count, 1);
    else if (status >= 400) metrics.addMetric('refusals', MetricUnit.Count, 1);
    return result;
  } finally {
    metrics.publishStoredMetrics();
    logger.removeKeys(['awsRequestId']);
  }
};
