import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { countRejected, metricsTelemetry } from '../src';

/** The EMF documents `run` writes to stdout, parsed, with the timestamp taken out. */
function emfOf(run: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return lines
    .join('')
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => {
      const doc = JSON.parse(line) as { _aws: Record<string, unknown> } & Record<string, unknown>;
      delete doc._aws['Timestamp'];
      return doc;
    });
}

beforeAll(() => {
  process.env['POWERTOOLS_METRICS_NAMESPACE'] = 'imgpipe-test';
  delete process.env['POWERTOOLS_METRICS_DISABLED'];
  delete process.env['POWERTOOLS_DEV'];
});

describe('metricsTelemetry and countRejected', () => {
  it('write the same EMF documents as a fresh Powertools singleMetric() per call, call after call', () => {
    const metrics = new Metrics({ serviceName: 'imgpipe-test' });
    const telemetry = metricsTelemetry(metrics);
    const ours = emfOf(() => {
      telemetry.stage('download', 12);
      telemetry.stage('render', 40);
      countRejected(metrics, 'UNSUPPORTED_FORMAT');
      telemetry.stage('upload', 7);
    });
    const reference = new Metrics({ serviceName: 'imgpipe-test' });
    const theirs = emfOf(() => {
      const stage = (name: string, ms: number): void => {
        const single = reference.singleMetric();
        single.addDimension('stage', name);
        single.addMetric('stageDuration', MetricUnit.Milliseconds, ms);
      };
      stage('download', 12);
      stage('render', 40);
      const rejected = reference.singleMetric();
      rejected.addDimension('code', 'UNSUPPORTED_FORMAT');
      rejected.addMetric('rejected', MetricUnit.Count, 1);
      stage('upload', 7);
    });
    expect(ours).toEqual(theirs);
    expect(ours.map((doc) => [doc['stage'] ?? doc['code'], doc['stageDuration'] ?? doc['rejected']])).toEqual(
      [
        ['download', 12],
        ['render', 40],
        ['UNSUPPORTED_FORMAT', 1],
        ['upload', 7],
      ],
    );
    // Each document carries only its own dimension: nothing of an earlier call leaks into the next.
    expect(ours[3]).not.toHaveProperty('code');
    expect(ours[2]).not.toHaveProperty('stage');
  });

  it("keeps the invocation's stored metrics apart from the single-metric documents", () => {
    const metrics = new Metrics({ serviceName: 'imgpipe-test' });
    const telemetry = metricsTelemetry(metrics);
    const docs = emfOf(() => {
      telemetry.bytesIn(1000);
      telemetry.stage('render', 40);
      telemetry.bytesOut(300);
      metrics.publishStoredMetrics();
    });
    expect(docs.map((doc) => Object.keys(doc).filter((k) => k !== '_aws' && k !== 'service'))).toEqual([
      ['stage', 'stageDuration'],
      ['bytesIn', 'bytesOut'],
    ]);
  });
});
