// dependency-cruiser rules (run by `npm run lint`): every folder of the app imports only from the layers below it, no
// file circles, the renderer reaches only src-shared, and src-shared stands alone. test/ and bench/ are not cruised.
import { readFileSync } from 'node:fs';

/**
 * The layers, lowest first: a module may import only from its own layer and the layers before it. Folders that share
 * a tier (cli and app) are siblings and import neither each other nor anything above them.
 */
const TIERS = [
  { 'src-shared': '^src-shared/' },
  { util: '^src-main/util/' },
  { audio: '^src-main/audio/' },
  { export: '^src-main/export/' },
  { store: '^src-main/store/' },
  { asr: '^src-main/asr/' },
  { 'speakers/dsp': '^src-main/speakers/dsp/' },
  { 'speakers/embedding': '^src-main/speakers/embedding/' },
  { 'speakers/labelling': '^src-main/speakers/labelling/' },
  { 'speakers/models': '^src-main/speakers/models/' },
  { 'speakers/edits': '^src-main/speakers/edits/' },
  { settings: '^src-main/settings/' },
  { engine: '^src-main/engine/' },
  { jobs: '^src-main/jobs/' },
  { recording: '^src-main/recording/' },
  { application: '^src-main/application/' },
  { services: '^src-main/services\\.ts$' },
  { cli: '^src-main/cli/', app: '^src-main/app/' },
];

/** The npm packages the renderer may import (it runs in the browser; add a package here when it needs one). */
const RENDERER_PACKAGES = [
  'svelte',
  'svelte-i18n',
  'bits-ui',
  '@lucide/svelte',
  'virtua',
  'wavesurfer.js',
  '@internationalized/date',
].map((name) => `^node_modules/${name}/`);

/** Optional npm packages may be missing from node_modules; their imports are guarded at run time. */
const PACKAGE = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8'));
const OPTIONAL_PACKAGES = Object.keys(PACKAGE.optionalDependencies ?? {}).map((name) => `^${name}$`);

const LAYERS = TIERS.flatMap((tier, rank) =>
  Object.entries(tier).map(([name, path]) => ({ name, path, rank })),
);
const EVERY_LAYER = LAYERS.map((layer) => layer.path);

/** One rule a layer: nothing from it may reach a later tier or a sibling in its own tier. */
function layeringRule(layer) {
  const above = LAYERS.filter(
    (other) => other.rank > layer.rank || (other.rank === layer.rank && other !== layer),
  );
  const below = LAYERS.filter((other) => other.rank < layer.rank).map((other) => other.name);
  return {
    name: `layering/${layer.name}`,
    severity: 'error',
    comment: `${layer.name} may import only from itself and the layers below it (${below.join(', ') || 'none'}).`,
    from: { path: layer.path },
    to: { path: above.map((other) => other.path) },
  };
}

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    ...LAYERS.filter((layer) => layer.path.startsWith('^src-main/')).map(layeringRule),
    {
      name: 'src-main-outside-the-layers',
      severity: 'error',
      comment:
        'Every src-main module belongs to a layer above (add a new folder to TIERS in .dependency-cruiser.mjs).',
      from: { path: '^src-main/', pathNot: EVERY_LAYER },
      to: {},
    },
    {
      name: 'src-main-imports-only-its-layers',
      severity: 'error',
      comment:
        'src-main imports its layers, npm packages and Node built-ins; never src-renderer, test/ or bench/.',
      from: { path: '^src-main/' },
      to: {
        pathNot: [...EVERY_LAYER, '^node_modules/'],
        dependencyTypesNot: ['core'],
        couldNotResolve: false,
      },
    },
    {
      name: 'database-only-in-store',
      severity: 'error',
      comment:
        'Only store/ and the composition root (services.ts) touch the database driver; the rest asks store/.',
      from: { path: '^src-main/', pathNot: ['^src-main/store/', '^src-main/services\\.ts$'] },
      to: { path: '^node_modules/(@types/)?better-sqlite3/' },
    },
    {
      name: 'src-shared-stands-alone',
      severity: 'error',
      comment:
        'src-shared imports only itself and valibot: no src-main, src-renderer, Node built-ins or other packages.',
      from: { path: '^src-shared/' },
      to: { pathNot: ['^src-shared/', '^node_modules/valibot/'], couldNotResolve: false },
    },
    {
      name: 'renderer-imports-only-src-shared',
      severity: 'error',
      comment:
        'src-renderer imports only itself, src-shared and svelte (never src-main, Node built-ins or packages).',
      from: { path: '^src-renderer/' },
      to: { pathNot: ['^src-renderer/', '^src-shared/', ...RENDERER_PACKAGES], couldNotResolve: false },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circles between files (type-only imports count too).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves, so that no import slips past the rules above.',
      from: {},
      to: { couldNotResolve: true, pathNot: OPTIONAL_PACKAGES },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    // node_modules keeps its own name when it is a link (the layering test cruises a copy that links to it).
    preserveSymlinks: true,
    tsConfig: { fileName: 'tsconfig.json' },
    skipAnalysisNotInRules: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
