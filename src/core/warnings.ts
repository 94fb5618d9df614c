/**
 * Warnings for input that is legal but suspicious (a CXL node without bandwidth data, a BIND
 * mask that cannot hold the workload...). They are collected per run and returned with the
 * result instead of being printed, so notebooks decide how to show them.
 */

/** One warning: a code, where it applies, and a sentence saying why it matters. */
export interface Warning {
  readonly code: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * An append-only list of warnings for one run or one build.
 *
 * @example
 * const w = new Warnings();
 * w.add("no_hmat", ["topology", "nodes", 1], "node 1 has no bandwidth data: weighted-interleave auto weight 1");
 * w.list(); // [{ code: "no_hmat", ... }]
 */
export class Warnings {
  readonly #items: Warning[] = [];

  add(code: string, path: readonly (string | number)[], message: string): void {
    this.#items.push({ code, path: [...path], message });
  }

  list(): readonly Warning[] {
    return [...this.#items];
  }

  get size(): number {
    return this.#items.length;
  }
}
