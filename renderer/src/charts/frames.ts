// One chart redraw per animation frame: several charts updating together would otherwise share one
// frame and hold the main thread for their sum.
const queue: (() => void)[] = [];
let scheduled = false;

function next(): void {
  scheduled = false;
  queue.shift()?.();
  if (queue.length) {
    scheduled = true;
    requestAnimationFrame(next);
  }
}

/** Runs `draw` in a frame of its own; a draw already waiting is not queued twice. */
export function drawInOwnFrame(draw: () => void): void {
  if (!queue.includes(draw)) queue.push(draw);
  if (!scheduled) {
    scheduled = true;
    requestAnimationFrame(next);
  }
}

export function cancelDraw(draw: () => void): void {
  const k = queue.indexOf(draw);
  if (k >= 0) queue.splice(k, 1);
}
