// Runs the layout off the UI thread for large graphs.
import { layoutTopology } from './layout';

self.onmessage = (e: MessageEvent) => {
  const { nodes, edges, expanded } = e.data;
  (self as unknown as Worker).postMessage(layoutTopology(nodes, edges, expanded));
};
