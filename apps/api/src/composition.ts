import { composeApi, once } from '@imgpipe/lambda-kit';

/** Config, clients, adapters, logger and metrics of the api: built on the first request (the cold start). */
export const runtime = once(() => composeApi(process.env));
