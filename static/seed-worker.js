// Ops Dojo: plays whole runs off the page's thread (src/seed_study.rs): many seeds of one
// scenario, the replays of a class's result codes, a finished run's par and what-ifs, or the
// alert lab's run of a pasted SLO.
// The page stays responsive and Cancel is instant (the page terminates the worker). It
// loads the page's own wasm, whose addresses the page sends, so no second program is
// shipped; the wasm's start function sees no window here and renders nothing.
//
// The first message names the program ({glue, wasm}) and the worker starts loading it at
// once; work ({scenario, jobs}) may come with it or later (the page starts workers ahead,
// so a job does not wait for the load). The load happens once however many messages come.
let loading;
self.onmessage = async ({ data }) => {
  const { glue, wasm, scenario, jobs = [] } = data;
  if (glue !== undefined) {
    loading ??= import(glue).then(async (app) => {
      await app.default({ module_or_path: wasm });
      // Started ahead of any work: a short run gets the engine's code optimised first.
      if (data.warm) app.warm_up();
      return app;
    });
  }
  let app;
  try {
    app = await loading;
  } catch (error) {
    self.postMessage({ error: `the simulation did not load in the background: ${error}` });
    return;
  }
  for (const job of jobs) {
    const { index } = job;
    // A job with a code is a replay (Class results), one with `debrief` a finished run's
    // packed action log on `scenario` (its par and what-ifs); the others are seeds of
    // `scenario`. One with `lab` is a pasted SLO to run in the world `scenario`.
    const replay = job.code !== undefined;
    const debrief = job.debrief !== undefined;
    const lab = job.lab !== undefined;
    try {
      if (lab) {
        self.postMessage({ index, lab, lines: app.own_slo_lab(scenario, job.lab, job.seed) });
      } else if (debrief) {
        self.postMessage({ index, debrief, ...app.debrief_replays(scenario, job.seed, job.debrief) });
      } else if (replay) {
        const { values, hash } = app.replay_code(job.code, job.scenario);
        self.postMessage({ index, replay, values, hash });
      } else {
        self.postMessage({ index, values: app.seed_scorecard(scenario, job.seed, job.pair) });
      }
    } catch (error) {
      self.postMessage({ index, replay, debrief, lab, error: String(error) });
    }
  }
};
