/** Freezes a value and everything in it, so one copy can be shared by every caller that asks for it. */
export function bevroren<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) bevroren(child);
    Object.freeze(value);
  }
  return value;
}
