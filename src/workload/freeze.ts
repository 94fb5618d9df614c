/** Freezing built specs keeps them shareable: nothing downstream can edit a scenario in place. */

/**
 * Freezes an object graph of plain data in place and returns it.
 *
 * @example
 * deepFreeze({ a: [1] }).a.push(2) // throws TypeError
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
