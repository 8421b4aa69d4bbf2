// Provided by build.mjs: every default export of src/commands/*.ts, in file-name order.
declare module 'imgpipe:commands' {
  const commands: readonly { register(program: import('commander').Command): void }[];
  export default commands;
}
