import { DynamoImageTable } from '@imgpipe/aws';
import { StackClients } from './clients';
import { describeError, fromAwsError } from './errors';
import { LocalApi } from './local-api';
import { ApiRowSource, type RowSource, TableRowSource } from './rows';
import {
  type AwsTarget,
  type LocalTarget,
  requireName,
  resolveTarget,
  type Target,
  type TargetFlags,
} from './target';

/** What a stack command works with: its target, SDK clients and where rows come from. */
export type Session =
  | {
      readonly target: LocalTarget;
      readonly clients: StackClients;
      readonly api: LocalApi;
      readonly rows: RowSource;
    }
  | {
      readonly target: AwsTarget;
      readonly clients: StackClients;
      readonly api?: undefined;
      readonly rows: RowSource;
    };

/**
 * Opens a session: resolves the target and, for the local stack, checks that it is running and
 * ready (so every command fails the same clear way when it is not).
 */
export async function openSession(
  flags: TargetFlags,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Session> {
  const target: Target = resolveTarget(flags, env);
  const clients = new StackClients(target);
  if (target.kind === 'local') {
    const api = new LocalApi(target.endpoint);
    await api.ensureReady();
    return { target, clients, api, rows: new ApiRowSource(api) };
  }
  // Built lazily: only commands that read rows need the table name.
  let rows: RowSource | undefined;
  const lazyRows: RowSource = {
    get: (key) =>
      (rows ??= new TableRowSource(new DynamoImageTable(clients.dynamo, requireName(target, 'table')))).get(
        key,
      ),
    list: (query) =>
      (rows ??= new TableRowSource(new DynamoImageTable(clients.dynamo, requireName(target, 'table')))).list(
        query,
      ),
  };
  return { target, clients, rows: lazyRows };
}

/** Output switches every stack command shares. */
export interface OutputFlags {
  readonly json?: boolean;
}

/**
 * Runs a stack command: opens the session, runs `work`, and turns any failure into one line on
 * stderr (and, with `--json`, one `{"error": {code, message}}` line on stdout) plus the exit status
 * of its class: 1 failed, 2 usage, 3 stack not running.
 */
export async function runStackCommand(
  flags: TargetFlags & OutputFlags,
  work: (session: Session) => Promise<void>,
): Promise<void> {
  let session: Session | undefined;
  try {
    session = await openSession(flags);
    await work(session);
  } catch (error) {
    const sdkError = typeof error === 'object' && error !== null && '$metadata' in error;
    const { code, message, exitCode } = describeError(
      sdkError ? fromAwsError(error, 'AWS request failed') : error,
    );
    if (flags.json) process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
    process.stderr.write(`imgpipe: ${message} [${code}]\n`);
    process.exitCode = exitCode;
  } finally {
    session?.clients.destroy();
  }
}
