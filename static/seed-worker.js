// Ops Dojo: plays many seeds of one scenario off the page's thread (src/seed_study.rs), so
// the page stays responsive and Cancel is instant (the page terminates the worker). It loads
// the page's own wasm, whose addresses the page sends, so no second program is shipped; the
// wasm's start function sees no window here and renders nothing.
self.onmessage = async ({ data }) => {
  const { glue, wasm, scenario, jobs } = data;
  let app;
  try {
    app = await import(glue);
    await app.default({ module_or_path: wasm });
  } catch (error) {
    self.postMessage({ error: `the simulation did not load in the background: ${error}` });
    return;
  }
  for (const { index, seed, pair } of jobs) {
    try {
      self.postMessage({ index, values: app.seed_scorecard(scenario, seed, pair) });
    } catch (error) {
      self.postMessage({ index, error: String(error) });
    }
  }
};
