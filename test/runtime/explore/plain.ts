// Plain data with Map order and array holes made explicit, for toStrictEqual (codec and restore tests).
export function plain(x: unknown): unknown {
  if (x instanceof Map) return { map: [...x.entries()].map(([k, v]) => [plain(k), plain(v)]) };
  if (Array.isArray(x)) return Array.from({ length: x.length }, (_, i) => (x[i] === undefined ? null : plain(x[i])));
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x).sort()) out[k] = plain((x as Record<string, unknown>)[k]);
    return out;
  }
  return x;
}
