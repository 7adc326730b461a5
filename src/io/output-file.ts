/**
 * An output file's path checked before any work is done, so that a command
 * that computes for seconds does not fail at the end, and never replaces a
 * file a user wrote: the file must be missing, or a file this command
 * wrote earlier (recognised by `mark`, its first characters).
 *
 *   await checkOutputFile('model.py', { mark: '#!/usr/bin/env python3\n# Exported by downhill' })
 *   // throws DownhillError: cannot write notes.py: it exists and is not a file downhill wrote ...
 *
 * Refused, each with a one-line DownhillError naming the path: an empty
 * path or one with a NUL byte, a name longer than NAME_MAX bytes, a path
 * inside node_modules, a folder (or a symbolic link, a device) at the path,
 * a file a user wrote at the path, a file where a parent folder should be,
 * and a parent folder this user cannot write into. The write itself
 * (writeFileAtomic) creates missing parent folders.
 */
import { constants } from 'node:fs';
import { access, lstat, open, realpath } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { DownhillError, visible } from '../errors.ts';
import { NAME_MAX } from './atomic.ts';

async function kindOf(path: string): Promise<'missing' | 'file' | 'dir' | 'other'> {
  try {
    const s = await lstat(path);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR') return 'missing'; // a parent is a file: found below
    throw error;
  }
}

/** The first `length` characters of a file. */
async function head(path: string, length: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Checks `path` as an output file (see the top of this file); resolves to its absolute path. */
export async function checkOutputFile(path: string, options: { readonly mark: string; readonly flag?: string }): Promise<string> {
  const flag = options.flag === undefined ? '' : `${options.flag}: `;
  const shown = visible(path);
  if (path.trim() === '') throw new DownhillError(`${flag}needs a file name`);
  if (path.includes('\0')) throw new DownhillError(`${flag}the file name contains a NUL byte`);
  const target = resolve(path);
  for (const part of target.split(sep)) {
    if (Buffer.byteLength(part) > NAME_MAX) throw new DownhillError(`${flag}cannot write ${shown}: a name in it is ${Buffer.byteLength(part)} bytes long (at most ${NAME_MAX})`);
  }
  if (target.split(sep).includes('node_modules')) throw new DownhillError(`${flag}refusing to write ${shown}: it is inside node_modules, whose files belong to installed packages`);

  const cannot = (why: string): DownhillError => new DownhillError(`${flag}cannot write ${shown}: ${why}`);
  try {
    switch (await kindOf(target)) {
      case 'dir': throw cannot('it is a folder');
      case 'other': throw cannot('it exists and is not a regular file (a symbolic link or a device)');
      case 'file':
        if (!(await head(target, options.mark.length)).startsWith(options.mark)) {
          throw cannot('it exists and is not a file downhill wrote; choose another name, or move it away first');
        }
        break;
      case 'missing': break;
    }
    // the nearest existing ancestor must be a folder this user can write into
    let folder = dirname(target);
    for (;;) {
      const kind = await kindOf(folder);
      if (kind === 'missing' && dirname(folder) !== folder) {
        folder = dirname(folder);
        continue;
      }
      if (kind !== 'dir' && !(kind === 'other' && (await lstat(await realpath(folder))).isDirectory())) {
        throw cannot(`${visible(folder)} is ${kind === 'missing' ? 'missing' : 'a file, not a folder'}`);
      }
      break;
    }
    if ((await realpath(folder)).split(sep).includes('node_modules')) throw new DownhillError(`${flag}refusing to write ${shown}: it is inside node_modules, whose files belong to installed packages`);
    try {
      await access(folder, constants.W_OK | constants.X_OK);
    } catch {
      throw cannot(`the folder ${visible(folder)} is not writable`);
    }
  } catch (error) {
    if (error instanceof DownhillError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    throw cannot(`the system says ${code}`);
  }
  return target;
}
