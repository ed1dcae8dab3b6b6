// Trunk post-build hook (Trunk.toml): minifies the JS glue that wasm-bindgen writes for the
// app, in release builds only. Part of keeping the shipped wasm + JS within 500 KB gzipped;
// terser is a well-kept minifier that understands ES modules. The page loads the glue
// without an integrity hash (index.html: data-integrity="none"), since the hash would be of
// the file before this step.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { minify } from 'terser';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('minify-glue: run me as a Trunk hook (TRUNK_STAGING_DIR is not set)');
  process.exit(1);
}
if (process.env.TRUNK_PROFILE === 'release') {
  for (const name of await readdir(dir)) {
    if (!/^ops-dojo-app-[0-9a-f]+\.js$/.test(name)) continue;
    const file = join(dir, name);
    const result = await minify(await readFile(file, 'utf8'), { module: true, compress: true, mangle: true });
    await writeFile(file, result.code);
  }
}
