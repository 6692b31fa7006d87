// The worker thread of loadFiles: takes files from the shared counter, reads and parses
// them, and sends their documents encoded (see documentCodec). Bundled as dist/parseWorker.js.
import { workerData } from 'worker_threads';
import { encodeDocuments } from '../model/documentCodec';
import { documentsToParse } from '../model/parse';
import { readManifest } from './files';
import { NEXT, POSTED, WorkerInput, WorkerMessage } from './loadFiles';

const { files, maxFileSize, counters, port } = workerData as WorkerInput;
for (let index = Atomics.add(counters, NEXT, 1); index < files.length; index = Atomics.add(counters, NEXT, 1)) {
  let message: WorkerMessage = { index };
  try {
    const read = readManifest(files[index], maxFileSize);
    message = { index, read };
    if ('text' in read) {
      const docs = documentsToParse(read.text);
      if (docs) message.encoded = encodeDocuments(read.text, docs);
    }
  } catch {
    // Unreadable here: the main thread reads it again and reports the error.
  }
  port.postMessage(message);
  Atomics.add(counters, POSTED, 1);
  Atomics.notify(counters, POSTED);
}
port.close();
