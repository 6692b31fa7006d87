// The minimap: the whole picture in a corner of the panel (namespace boxes, nodes coloured by
// kind, those with problems marked) with a frame for the part in view; clicking or dragging in
// it moves the view there. Shown only while part of the picture is out of view. A pointer aid:
// keyboard users move with the arrows, find and Tab, so it is hidden from assistive technology.
import { h, s } from './dom';
import type { Layout } from './layout';

/** The main view: graph coordinates → screen, `x`/`y` the offset, `k` the scale. */
export interface View { k: number; x: number; y: number }

const MAX_WIDTH = 220;
const MAX_HEIGHT = 150;

export interface Minimap {
  element: HTMLElement;
  /** Draws the picture; `kindOf` and `hasProblems` describe the nodes by id. */
  draw(layout: Layout, kindOf: (id: string) => string, hasProblems: (id: string) => boolean): void;
  /** Sizes the map to a view of `width` × `height` pixels and frames what it shows. */
  show(view: View, width: number, height: number): void;
}

export function createMinimap(centreOn: (x: number, y: number) => void): Minimap {
  const map = s('svg', {}) as SVGSVGElement;
  const picture = s('g', {});
  const frame = s('rect', { class: 'minimap-view' });
  map.append(picture, frame);
  const element = h('div', { class: 'minimap', 'aria-hidden': 'true', hidden: true }, map);
  let graph = { width: 0, height: 0 };
  let scale = 1;

  const toGraph = (e: PointerEvent) => {
    const box = map.getBoundingClientRect();
    return { x: (e.clientX - box.left) / scale, y: (e.clientY - box.top) / scale };
  };
  let dragging = false;
  map.addEventListener('pointerdown', (e) => {
    e.stopPropagation();
    dragging = true;
    map.setPointerCapture(e.pointerId);
    const p = toGraph(e);
    centreOn(p.x, p.y);
  });
  map.addEventListener('pointermove', (e) => {
    if (!dragging) return;
    const p = toGraph(e);
    centreOn(p.x, p.y);
  });
  map.addEventListener('pointerup', () => { dragging = false; });
  map.addEventListener('pointercancel', () => { dragging = false; });

  return {
    element,
    draw(layout, kindOf, hasProblems) {
      graph = { width: Math.max(1, layout.width), height: Math.max(1, layout.height) };
      picture.replaceChildren(
        ...layout.bands.map((b) => s('rect', { class: `minimap-band${b.collapsed ? ' collapsed' : ''}`, x: b.x, y: b.y, width: b.width, height: b.height })),
        ...Object.values(layout.nodes).map((n) => s('rect', {
          class: `minimap-node kind-${kindOf(n.id)}${hasProblems(n.id) ? ' problems' : ''}`, 'data-id': n.id, x: n.x, y: n.y, width: n.width, height: n.height,
        })),
      );
    },
    show(view, width, height) {
      // A corner of the view, never more than about a quarter of it.
      scale = Math.min(Math.min(MAX_WIDTH, width * 0.25) / graph.width, Math.min(MAX_HEIGHT, height * 0.3) / graph.height);
      map.setAttribute('width', String(Math.ceil(graph.width * scale)));
      map.setAttribute('height', String(Math.ceil(graph.height * scale)));
      picture.setAttribute('transform', `scale(${scale})`);
      const x = -view.x / view.k;
      const y = -view.y / view.k;
      const wide = width / view.k;
      const high = height / view.k;
      // All of it in view: nothing to find with a map.
      element.hidden = x <= 0 && y <= 0 && x + wide >= graph.width && y + high >= graph.height;
      frame.setAttribute('x', String(x * scale));
      frame.setAttribute('y', String(y * scale));
      frame.setAttribute('width', String(Math.max(2, wide * scale)));
      frame.setAttribute('height', String(Math.max(2, high * scale)));
    },
  };
}
