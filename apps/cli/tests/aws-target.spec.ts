import { parseOutputs } from '../src/stack/outputs';
import { requireName, resolveTarget } from '../src/stack/target';

/** As `terraform output -json` prints infra's outputs (names from infra/src/stack.ts). */
const TERRAFORM_OUTPUT = JSON.stringify({
  region: { sensitive: false, type: 'string', value: 'eu-west-1' },
  source_bucket: { sensitive: false, type: 'string', value: 'imgpipe-prod-source-1a2b' },
  derived_bucket: { sensitive: false, type: 'string', value: 'imgpipe-prod-derived-1a2b' },
  table: { sensitive: false, type: 'string', value: 'imgpipe-prod-images' },
  control_table: { sensitive: false, type: 'string', value: 'imgpipe-prod-control' },
  dead_letter_queue_url: {
    sensitive: false,
    type: 'string',
    value: 'https://sqs.eu-west-1.amazonaws.com/123456789012/imgpipe-prod-dlq',
  },
  resize_function: { sensitive: false, type: 'string', value: 'imgpipe-prod-resize' },
  metadata_sync_function: { sensitive: false, type: 'string', value: 'imgpipe-prod-metadata-sync' },
  reconcile_function: { sensitive: false, type: 'string', value: 'imgpipe-prod-reconcile' },
  image_uri: {
    sensitive: false,
    type: 'string',
    value: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/imgpipe-prod-functions:ctx-1',
  },
});

/** As `cdktf deploy --outputs-file` writes them: one object per stack. */
const CDKTF_OUTPUTS = JSON.stringify({
  'imgpipe-dev': {
    source_bucket: 'imgpipe-dev-source',
    table: 'imgpipe-dev-images',
    reconcile_function: 'imgpipe-dev-reconcile',
  },
  'imgpipe-prod': {
    source_bucket: 'imgpipe-prod-source',
    table: 'imgpipe-prod-images',
    reconcile_function: 'imgpipe-prod-reconcile',
  },
});

describe('parseOutputs', () => {
  it('reads every name from `terraform output -json`', () => {
    expect(parseOutputs(TERRAFORM_OUTPUT)).toEqual({
      region: 'eu-west-1',
      sourceBucket: 'imgpipe-prod-source-1a2b',
      derivedBucket: 'imgpipe-prod-derived-1a2b',
      table: 'imgpipe-prod-images',
      dlqUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/imgpipe-prod-dlq',
      resizeFunction: 'imgpipe-prod-resize',
      metadataFunction: 'imgpipe-prod-metadata-sync',
      reconcileFunction: 'imgpipe-prod-reconcile',
    });
  });

  it('picks the stack asked for from a cdktf outputs file', () => {
    expect(parseOutputs(CDKTF_OUTPUTS, 'imgpipe-dev')).toEqual({
      sourceBucket: 'imgpipe-dev-source',
      table: 'imgpipe-dev-images',
      reconcileFunction: 'imgpipe-dev-reconcile',
    });
  });

  it('takes the only stack of a cdktf outputs file without --stack, and flat objects with any name style', () => {
    expect(parseOutputs(JSON.stringify({ 'imgpipe-dev': { table: 't' } }))).toEqual({ table: 't' });
    expect(parseOutputs(JSON.stringify({ sourceBucket: 's', 'dead-letter-queue-url': 'q' }))).toEqual({
      sourceBucket: 's',
      dlqUrl: 'q',
    });
  });

  it('asks for --stack when the file holds several', () => {
    expect(() => parseOutputs(CDKTF_OUTPUTS)).toThrow(
      'The outputs file holds several stacks (imgpipe-dev, imgpipe-prod); choose one with --stack <name>',
    );
    expect(() => parseOutputs(CDKTF_OUTPUTS, 'imgpipe-test')).toThrow(
      'Expected stack "imgpipe-test" in the outputs file but it has "imgpipe-dev", "imgpipe-prod"',
    );
  });

  it('refuses files that are not outputs, with a stable code', () => {
    expect(() => parseOutputs('not json')).toThrow(
      expect.objectContaining({ code: 'INVALID_OUTPUTS', exitCode: 2 }),
    );
    expect(() => parseOutputs('[]')).toThrow(
      'Expected the outputs file to hold a JSON object but it holds an array',
    );
    expect(() => parseOutputs('{"something":{"value":"x"}}')).toThrow(
      /Expected imgpipe outputs \(region, source_bucket/,
    );
    expect(() => parseOutputs('{"table":{"value":42}}')).toThrow(
      'Expected output "table" to be a non-empty string but received 42',
    );
  });
});

describe('resolveTarget', () => {
  it('defaults to the local stack on 127.0.0.1:4566 with the pipeline names', () => {
    expect(resolveTarget({}, {})).toEqual({
      kind: 'local',
      endpoint: 'http://127.0.0.1:4566',
      region: 'us-east-1',
      names: { sourceBucket: 'imgpipe-source', derivedBucket: 'imgpipe-derived', table: 'imgpipe-images' },
    });
  });

  it('takes the endpoint from --endpoint, then IMGPIPE_ENDPOINT, then IMGPIPE_EDGE_PORT', () => {
    expect(
      resolveTarget({ endpoint: 'http://localhost:9000/' }, { IMGPIPE_ENDPOINT: 'http://x:1' }),
    ).toMatchObject({ endpoint: 'http://localhost:9000' });
    expect(resolveTarget({}, { IMGPIPE_ENDPOINT: 'http://x:1', IMGPIPE_EDGE_PORT: '5000' })).toMatchObject({
      endpoint: 'http://x:1',
    });
    expect(resolveTarget({}, { IMGPIPE_EDGE_PORT: '5000' })).toMatchObject({
      endpoint: 'http://127.0.0.1:5000',
    });
  });

  it('refuses an endpoint that is not an http URL, and AWS-only flags without --aws', () => {
    expect(() => resolveTarget({ endpoint: 'localhost' }, {})).toThrow(
      expect.objectContaining({
        code: 'USAGE',
        message: 'Expected an http(s) URL for --endpoint (or IMGPIPE_ENDPOINT) but received "localhost"',
      }),
    );
    expect(() => resolveTarget({ dlqUrl: 'q' }, {})).toThrow(
      '--dlq-url applies to a deployed stack; add --aws',
    );
    expect(() => resolveTarget({ aws: true, endpoint: 'http://x' }, {})).toThrow(
      '--endpoint is for the local stack',
    );
  });

  it('with --aws reads the outputs file, lets flags win, and takes the region from flag, outputs, then env', () => {
    const read = (path: string): string => {
      expect(path).toBe('outputs.json');
      return TERRAFORM_OUTPUT;
    };
    const target = resolveTarget({ aws: true, outputs: 'outputs.json', table: 'other-table' }, {}, read);
    expect(target).toMatchObject({
      kind: 'aws',
      region: 'eu-west-1',
      names: { table: 'other-table', sourceBucket: 'imgpipe-prod-source-1a2b' },
    });
    // The stack's own region beats a default region set for other work.
    expect(
      resolveTarget({ aws: true, outputs: 'outputs.json' }, { AWS_REGION: 'us-west-2' }, read),
    ).toMatchObject({ region: 'eu-west-1' });
    expect(resolveTarget({ aws: true, table: 't' }, { AWS_REGION: 'us-west-2' })).toMatchObject({
      region: 'us-west-2',
    });
    expect(
      resolveTarget(
        { aws: true, outputs: 'outputs.json', region: 'ap-south-1' },
        { AWS_REGION: 'us-west-2' },
        read,
      ),
    ).toMatchObject({ region: 'ap-south-1' });
  });

  it('says which flag or output provides a name a command needs', () => {
    const target = resolveTarget({ aws: true, table: 't' }, {});
    if (target.kind !== 'aws') throw new Error('expected an AWS target');
    expect(requireName(target, 'table')).toBe('t');
    expect(() => requireName(target, 'dlqUrl')).toThrow(
      expect.objectContaining({
        code: 'USAGE',
        message:
          'With --aws this command needs --dlq-url <value> or --outputs <file> with "dead_letter_queue_url" (from `terraform output -json`)',
      }),
    );
  });

  it('reports an unreadable outputs file with INVALID_OUTPUTS', () => {
    expect(() => resolveTarget({ aws: true, outputs: '/nonexistent/outputs.json' }, {})).toThrow(
      expect.objectContaining({
        code: 'INVALID_OUTPUTS',
        message: expect.stringContaining('Cannot read the outputs file "/nonexistent/outputs.json"'),
      }),
    );
  });
});
