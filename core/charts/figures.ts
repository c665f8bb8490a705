// How the charts write a number in a tooltip or a label: a step count with thousands separators, a loss
// or a level to three significant digits.

/** A step count: 12,345. */
export const points = (n: number) => n.toLocaleString('en-US');

/** A loss or level for a label: three significant digits. */
export const level = (v: number) => v.toPrecision(3);
