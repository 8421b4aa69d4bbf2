import type { PipelineConfig } from '../config';
import type { ImageTable, ObjectStore } from '../ports';
import type { ApiConfig } from './config';
import type { ImageIndex, UploadSigner } from './ports';

/** What the API use cases need; built once per cold start by the api's composition module. */
export interface ApiDeps {
  readonly config: PipelineConfig;
  readonly api: ApiConfig;
  readonly objects: Pick<ObjectStore, 'head' | 'deleteMany'>;
  readonly table: Pick<ImageTable, 'get'>;
  readonly index: ImageIndex;
  readonly signer: UploadSigner;
  /** Injected clock (tests); defaults to `new Date()`. */
  readonly now?: () => Date;
}
