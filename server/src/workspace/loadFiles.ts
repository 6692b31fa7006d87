// Reading and parsing many manifest files, with a worker thread sharing the parsing.
// Parsing is most of indexing a workspace, and a second core halves it: this thread and the
// worker each take the next file from a shared counter; the worker sends back the file's
// text and its documents encoded as flat arrays (see documentCodec), which this thread turns
// into nodes at a quarter of the cost of parsing. Without a worker (a few files, or no
// bundled worker script, as when running from source) every file is read here.
import * as fs from 'fs';
import * as path from 'path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';
import { decodeDocuments, EncodedDocuments } from '../model/documentCodec';
import type { YamlDoc } from '../model/parse';
import { readManifest, ReadResult } from './files';

export type LoadResult = ReadResult | { error: Error };

/** What the worker sends for one file; without `read` the file is read again here (where
 *  errors are reported). */
export interface WorkerMessage {
  index: number;
  read?: ReadResult;
  encoded?: EncodedDocuments;
}

export interface WorkerInput {
  files: string[];
  maxFileSize: number;
  /** [next file to take, messages posted] */
  counters: Int32Array;
  port: MessagePort;
}

export const NEXT = 0;
export const POSTED = 1;

/** Below this many files a worker's start-up is not worth it. */
const MIN_FILES_FOR_WORKER = 32;
const WORKER_SCRIPT = path.join(__dirname, 'parseWorker.js');

/** Reads every file and hands it to `use` on this thread, in no particular order, with its
 *  documents when the worker parsed them; returns how many the worker parsed. Yields to the
 *  event loop every `yieldMs` (so progress and requests get through). */
export async function loadFiles(
  files: string[],
  maxFileSize: number,
  use: (file: string, result: LoadResult, documents?: YamlDoc[]) => void,
  yieldMs = 100,
): Promise<number> {
  const counters = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  let worker: Worker | undefined;
  let workerGone = true;
  if (files.length >= MIN_FILES_FOR_WORKER && fs.existsSync(WORKER_SCRIPT)) {
    const input: WorkerInput = { files, maxFileSize, counters, port: port2 };
    try {
      worker = new Worker(WORKER_SCRIPT, { workerData: input, transferList: [port2] });
      workerGone = false;
      worker.on('error', () => { workerGone = true; });
      worker.on('exit', () => { workerGone = true; });
    } catch {
      worker = undefined; // no threads here: read everything on this thread
    }
  }
  const done = new Uint8Array(files.length);
  let doneCount = 0;
  let parsedByWorker = 0;
  const readHere = (index: number) => {
    done[index] = 1;
    doneCount++;
    let result: LoadResult;
    try {
      result = readManifest(files[index], maxFileSize);
    } catch (e) {
      result = { error: e as Error };
    }
    use(files[index], result);
  };
  const receive = (): boolean => {
    let any = false;
    for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) {
      const { index, read, encoded } = m.message as WorkerMessage;
      any = true;
      if (done[index]) continue;
      if (!read) {
        readHere(index);
        continue;
      }
      done[index] = 1;
      doneCount++;
      const documents = encoded && 'text' in read ? decodeDocuments(read.text, encoded) : undefined;
      if (documents) parsedByWorker++;
      use(files[index], read, documents);
    }
    return any;
  };
  let lastYield = Date.now();
  try {
    while (doneCount < files.length) {
      const posted = Atomics.load(counters, POSTED);
      const received = receive();
      const index = Atomics.add(counters, NEXT, 1);
      if (index < files.length) readHere(index);
      else if (workerGone) {
        // Every file is taken; those the worker took and did not send are read here.
        receive();
        for (let i = 0; i < files.length; i++) if (!done[i]) readHere(i);
      } else if (!received) {
        Atomics.wait(counters, POSTED, posted, 20);
        if (Atomics.load(counters, POSTED) === posted) {
          // Nothing came: let the worker's exit or error event through, if it stopped.
          await new Promise(setImmediate);
          lastYield = Date.now();
        }
      }
      if (Date.now() - lastYield > yieldMs) {
        await new Promise(setImmediate);
        lastYield = Date.now();
      }
    }
  } finally {
    port1.close();
    await worker?.terminate();
  }
  return parsedByWorker;
}
