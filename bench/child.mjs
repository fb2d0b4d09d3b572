// One contender in a fresh process: `node --expose-gc [--import ./ts-loader.mjs] child.mjs`.
// The parent (run.mjs) sends { file, tasks: [{ section, sectionFile, params }] } over IPC;
// each task runs its section's `measure(adapter, params, { raw })` with the contender's module as
// `adapter` and the raw client's module as `raw` (loaded beside it, so a section can time the
// two interleaved in one process: see `pairedTimed`; for the raw contender, `raw` is `adapter`). Answers { ok: true, results: [{ ok, result } | { ok: false, error }] }, or
// { ok: false, error } when the contender could not even be loaded.
process.once('message', async ({ file, tasks }) => {
  let adapter;
  let raw;
  const t0 = Date.now();
  try {
    const contender = (name) => import(new URL(`./contenders/${name}`, import.meta.url).href);
    adapter = await contender(file);
    raw = file === 'raw-openai.mjs' ? adapter : await contender('raw-openai.mjs');
  } catch (error) {
    process.send({ ok: false, error: error?.stack ?? String(error) }, () => process.exit(1));
    return;
  }
  const loadMs = Date.now() - t0;
  const results = [];
  for (const { sectionFile, params } of tasks) {
    const t0 = Date.now();
    try {
      const section = (await import(new URL(`./sections/${sectionFile}`, import.meta.url).href)).default;
      results.push({ ok: true, result: await section.measure(adapter, params, { raw }), elapsedMs: Date.now() - t0 });
    } catch (error) {
      results.push({ ok: false, error: error?.stack ?? String(error) });
    }
  }
  process.send({ ok: true, results, loadMs }, () => process.exit(results.every((r) => r.ok) ? 0 : 1));
});
