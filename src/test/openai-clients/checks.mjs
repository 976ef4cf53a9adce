// What the client scripts share: their arguments (BASE_URL KEY MODEL), one "ok"/"FAIL" line per check,
// and a closing "N passed, N failed" line with exit 1 on failure (NodeScript reads both).
let passed = 0;
let failed = 0;

/** The script's arguments; a usage line and exit 2 when one is missing. */
export function args(script) {
  const [baseURL, apiKey, model] = process.argv.slice(2);
  if (!baseURL || !apiKey || !model) {
    console.error(`usage: node ${script} BASE_URL KEY MODEL`);
    process.exit(2);
  }
  return { baseURL, apiKey, model };
}

/** Runs one check; what fn returns is printed after the timing as its detail. */
export async function check(name, fn) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    passed++;
    console.log(`ok   ${name} (${Date.now() - t0} ms)${detail ? ' ' + detail : ''}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e?.constructor?.name}: ${e?.message}`);
  }
}

/** Prints the count and exits, 1 when any check failed. */
export function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
