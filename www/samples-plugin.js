// The CIFAR-10N samples (data/cifar10n, photos with the labels people gave
// them) as files of the page's own origin: samples/index.json lists the sets
// this copy holds, samples/<set>/labels.csv and samples/<set>/images/* are
// fetched by the worker only when a person picks that set. The folder may
// be deleted (its labels are for non-commercial use); the index is then
// empty and the page offers the digits alone.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../data/cifar10n/', import.meta.url));
const LICENCE = 'LICENSE-CIFAR-10N.md';

/** The sets with a labels.csv and their photos, by name (sorted). */
export function listSamples(root = ROOT) {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'labels.csv')))
    .map((d) => ({
      name: d.name,
      photos: readdirSync(join(root, d.name, 'images')).filter((f) => f.endsWith('.jpg')).sort(),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const indexJson = (sets) => JSON.stringify({
  sets: sets.map(({ name, photos }) => ({ name, photos: photos.length })),
  licence: sets.length ? LICENCE : null,
});

const TYPES = { '.json': 'application/json', '.csv': 'text/csv', '.jpg': 'image/jpeg', '.md': 'text/markdown' };

export function samplesPlugin(root = ROOT) {
  return {
    name: 'smoothlab-samples',
    // `vite dev`: the same paths, read from the folder as they are asked for.
    configureServer(server) {
      server.middlewares.use('/samples/', (req, res, next) => {
        const path = normalize(decodeURIComponent(req.url.split('?')[0])).replace(/^[/\\]+/, '');
        if (path === 'index.json') {
          res.setHeader('Content-Type', TYPES['.json']);
          res.end(indexJson(listSamples(root)));
          return;
        }
        const file = join(root, path);
        if (path.startsWith('..') || !existsSync(file)) { next(); return; }
        res.setHeader('Content-Type', TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream');
        res.end(readFileSync(file));
      });
    },
    // `vite build`: copied into dist/samples/, byte for byte.
    generateBundle() {
      const sets = listSamples(root);
      const emit = (fileName, source) => this.emitFile({ type: 'asset', fileName: `samples/${fileName}`, source });
      emit('index.json', indexJson(sets));
      if (sets.length) emit(LICENCE, readFileSync(join(root, LICENCE)));
      for (const { name, photos } of sets) {
        emit(`${name}/labels.csv`, readFileSync(join(root, name, 'labels.csv')));
        for (const photo of photos) emit(`${name}/images/${photo}`, readFileSync(join(root, name, 'images', photo)));
      }
    },
  };
}
