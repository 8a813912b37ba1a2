// Speaker labels numbered 0, 1, 2… in order of first appearance, as users expect "Speaker 1" to speak first.

/** Renumbers labels 0, 1, 2… in order of first appearance. */
export function renumberByFirstAppearance(labels: number[]): number[] {
  const mapping = new Map<number, number>();
  return labels.map((label) => {
    if (!mapping.has(label)) mapping.set(label, mapping.size);
    return mapping.get(label)!;
  });
}
