// One contender in a fresh process: `node --expose-gc [--import ./ts-loader.mjs] child.mjs`.
// The parent (run.mjs) sends { file, tasks: [{ section, sectionFile, params }] } over IPC;
// each task runs its section's `measure(adapter, params)` with the contender's module as
// `adapter`. Answers { ok: true, results: [{ ok, result } | { ok: false, error }] }, or
// { ok: false, error } when the contender could not even be loaded.
process.once('message', async ({ file, tasks }) => {
  let adapter;
  const t0 = Date.now();
  try {
    adapter = await import(new URL(`./contenders/${file}`, import.meta.url).href);
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
      results.push({ ok: true, result: await section.measure(adapter, params), elapsedMs: Date.now() - t0 });
    } catch (error) {
      results.push({ ok: false, error: error?.stack ?? String(error) });
    }
  }
  process.send({ ok: true, results, loadMs }, () => process.exit(results.every((r) => r.ok) ? 0 : 1));
});
