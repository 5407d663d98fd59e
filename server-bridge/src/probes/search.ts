// What search_users and search_channels share: a search that must return at least N results.
import {describeFailure} from './failure';
import {forgetLookupsOn} from './lookups';
import type {ProbeRun} from './outcome';
import type {ProbeContext} from './types';

/** Records the check "results for <term>": at least min results. */
export async function checkSearch(run: ProbeRun, ctx: ProbeContext, term: string, min: number, search: () => Promise<unknown>): Promise<void> {
  const label = `results for "${term}"`;
  const expected = `at least ${min}`;
  try {
    const found = await search();
    if (!Array.isArray(found)) {
      run.check(label, false, 'an answer that is not a list', expected);
      return;
    }
    run.fact('results', found.length);
    run.check(label, found.length >= min, String(found.length), expected);
  } catch (err) {
    forgetLookupsOn(ctx, err);
    run.check(label, false, describeFailure(ctx, err), expected);
  }
}
