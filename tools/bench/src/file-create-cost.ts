/**
 * What creating one file costs in a folder: the local stack's object store writes a file per PUT, so a
 * file system that is slow to allocate inodes in a folder slows every upload whose stack keeps its data
 * there. For each `--dir`, in a fresh folder inside it: `--files` files of `--size` bytes, each opened
 * with `O_CREAT | O_EXCL`, written and closed synchronously; prints the process's CPU (user + system)
 * per open, write and close, then removes the folder.
 *   npx tsx tools/bench/src/file-create-cost.ts --dir /tmp --dir /dev/shm --dir node_modules/.cache [--files 1000] [--size 30000]
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** CPU microseconds of this process per call of `step` over `count` calls. */
function cpuPerCall(count: number, step: (i: number) => void): number {
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) step(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

function measure(root: string, files: number, size: number): string {
  const dir = mkdtempSync(join(resolve(root), 'imgpipe-file-create-'));
  const body = Buffer.alloc(size, 1);
  const fds: number[] = [];
  try {
    const open = cpuPerCall(files, (i) => fds.push(openSync(join(dir, `f${i}`), 'wx')));
    const write = cpuPerCall(files, (i) => writeSync(fds[i] as number, body));
    const close = cpuPerCall(files, (i) => closeSync(fds[i] as number));
    fds.length = 0;
    return `${root}: open (create) ${open.toFixed(1)} us, write ${write.toFixed(1)} us, close ${close.toFixed(1)} us of CPU per file (${files} files of ${size} bytes)`;
  } finally {
    for (const fd of fds) closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', multiple: true },
      files: { type: 'string', default: '1000' },
      size: { type: 'string', default: '30000' },
    },
  });
  const dirs = values.dir ?? [];
  if (dirs.length === 0) throw new Error('Expected at least one --dir <folder> to measure');
  for (const dir of dirs)
    process.stdout.write(`${measure(dir, Number(values.files), Number(values.size))}\n`);
}

main();
