// Work that must not overlap (writes to one file, changes to one folder): each piece starts when the one
// before it has ended, whether that worked or not, so overlapping calls never lose each other.
export type Serial = <T>(work: () => Promise<T>) => Promise<T>;

export function serial(): Serial {
  let last: Promise<unknown> = Promise.resolve();
  return (work) => {
    const next = last.then(work);
    last = next.catch(() => undefined);
    return next;
  };
}
