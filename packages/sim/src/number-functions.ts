/**
 * Numbers function names in the order they first appear: `index[i]` is the number of `names[i]`,
 * `functions[n]` the name of number n. How a per-invocation source (records, a 2021 trace) gets the
 * function table a schedule has.
 */
export function numberFunctions(names: Iterable<string>): { readonly functions: string[]; readonly index: Uint32Array } {
  const functions: string[] = [];
  const numbers = new Map<string, number>();
  const index: number[] = [];
  for (const name of names) {
    let number = numbers.get(name);
    if (number === undefined) {
      number = functions.length;
      numbers.set(name, number);
      functions.push(name);
    }
    index.push(number);
  }
  return { functions, index: Uint32Array.from(index) };
}
