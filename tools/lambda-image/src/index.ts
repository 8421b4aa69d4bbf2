export { type AssembleOptions, assembleContext, type ContextManifest } from './assemble';
export { BASE_IMAGE_RELEASE, baseImage, dockerfile } from './dockerfile';
export { ImageContextError } from './errors';
export { lockfileFor, readWorkspaceLockfile, type LockedPackage, type Lockfile } from './lockfile';
export {
  ARCHES,
  type Arch,
  copySharpFromWorkspace,
  forTarget,
  installSharpFromRegistry,
  KOFFI_VERSION,
  NATIVE_DEPENDENCIES,
  SHARP_VERSION,
} from './sharp';
