// The worker thread of loadFiles: takes files from the shared counter, reads and parses
// them, and sends their documents encoded (see documentCodec). Bundled as dist/parseWorker.js.
import { workerData } from 'worker_threads';
import { encodeDocuments } from '../model/documentCodec';
import { documentsToParse } from '../model/parse';
import { readManifest } from './files';
import { MAX_AHEAD, NEXT, POSTED, RECEIVED, WorkerInput, WorkerMessage } from './loadFiles';

const { files, maxFileSize, counters, port } = workerData as WorkerInput;
/** Waits while the main thread has MAX_AHEAD messages unread (it may be busy for a while). */
function waitForReader() {
  for (;;) {
    const received = Atomics.load(counters, RECEIVED);
    if (Atomics.load(counters, POSTED) - received < MAX_AHEAD) return;
    Atomics.wait(counters, RECEIVED, received, 50);
  }
}
for (let index = (waitForReader(), Atomics.add(counters, NEXT, 1)); index < files.length; index = (waitForReader(), Atomics.add(counters, NEXT, 1))) {
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
