// Runs the layout off the UI thread for large graphs (one worker for the panel's life, so ELK's
// code stays compiled between layouts).
import { layoutTopology, startLayoutEngine } from './layout';

startLayoutEngine();

self.onmessage = async (e: MessageEvent) => {
  const { request, nodes, edges, expanded, aspect, collapsed } = e.data;
  try {
    (self as unknown as Worker).postMessage({ request, layout: await layoutTopology(nodes, edges, expanded, aspect, collapsed) });
  } catch (err) {
    (self as unknown as Worker).postMessage({ request, error: String(err) });
  }
};
