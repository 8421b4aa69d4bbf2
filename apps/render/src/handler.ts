import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { LambdaContext } from '@imgpipe/lambda-kit';
import { InvalidEventError, parseRenderRequest, renderOnMiss } from '@imgpipe/core';
import type { LambdaFunctionURLResult } from 'aws-lambda';
import { runtime } from './composition';

/**
 * The render Lambda: the CDN's failover origin behind a Function URL (payload 2.0). Renders a missing
 * variant of a ready image and answers its bytes (base64) with the CDN's headers; writes nothing.
 */
export const handler = async (event: unknown, context: LambdaContext): Promise<LambdaFunctionURLResult> => {
  const { logger, metrics, deps } = runtime();
  logger.appendKeys({ awsRequestId: context.awsRequestId });
  try {
    const request = parseRenderRequest(event, deps.config.cdn.versionParameter);
    const response = await renderOnMiss(request, deps);
    metrics.addMetric(response.status === 200 ? 'rendered' : 'renderMisses', MetricUnit.Count, 1);
    logger.info('Answered a CDN miss', {
      key: request.key,
      version: request.version,
      status: response.status,
    });
    return {
      statusCode: response.status,
      headers: { ...response.headers },
      body: response.body.toString('base64'),
      isBase64Encoded: true,
    };
  } catch (err) {
    if (!(err instanceof InvalidEventError)) throw err;
    logger.warn('Rejected event', { code: err.code, reason: err.message });
    return { statusCode: 400, headers: { 'content-type': 'text/plain' }, body: 'Bad Request' };
  } finally {
    metrics.publishStoredMetrics();
    logger.removeKeys(['awsRequestId']);
  }
};
