// The hover part that says what a source line of a rendered unit became: the rendered value
// in each unit, and what changed it (a patch, `namePrefix`, a values file).
import type { RenderedPlace } from '../workspace';

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

export function renderedHover(places: RenderedPlace[]): string {
  const lines = places.slice(0, 8).map((p) => {
    const via = (p.spot.via ?? []).map((v) => v.message).join('; ');
    return `- rendered in ${code(p.unit)}: ${code(p.text.trim())}${via ? ` (${via})` : ''}`;
  });
  if (places.length > 8) lines.push(`- and in ${places.length - 8} more units`);
  return [`*Rendered by ${places[0].tool}*`, ...lines].join('\n');
}
