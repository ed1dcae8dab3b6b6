// Ops Dojo: plays whole runs off the page's thread (src/seed_study.rs): many seeds of one
// scenario, the replays of a class's result codes, a finished run's par and what-ifs, or the
// alert lab's run of a pasted SLO.
// The page stays responsive and Cancel is instant (the page terminates the worker). It
// runs the page's own wasm: the page sends its glue's address and its compiled module
// (whose code the browser shares between the page and its workers), so no second program
// is shipped or compiled; the wasm's start function sees no window here and renders nothing.
//
// The first message names the program ({glue, wasm}) and the worker starts loading it at
// once; work ({scenario, jobs}) may come with it or later (the page starts workers ahead,
// so a job does not wait for the load). The load happens once however many messages come.
let loading;
// A worker started ahead of any work warms up: it plays a short run, a simulated hour at a
// time, so the browser optimises the engine's code before the first real job; work that
// arrives stops it at the next hour (a few milliseconds).
let working = false;
const nextTurn = () => new Promise((resolve) => {
  // A message to itself, not setTimeout: repeated timers wait at least 4 ms each.
  const channel = new MessageChannel();
  channel.port1.onmessage = resolve;
  channel.port2.postMessage(0);
});
const warmUp = async (app) => {
  app.warm_up_start();
  while (!working && app.warm_up_play()) await nextTurn();
};
self.onmessage = async ({ data }) => {
  const { glue, wasm, scenario, jobs = [] } = data;
  if (jobs.length > 0) working = true;
  if (glue !== undefined) {
    loading ??= import(glue).then(async (app) => {
      await app.default({ module_or_path: wasm });
      if (data.warm && !working) warmUp(app);
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
