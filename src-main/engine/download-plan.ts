// What a start of the managed engine will download: the image unless Docker has it (its size from the registry's
// manifest when that answers in time, else the catalog's rough figure) and the models the volume does not hold (the
// catalog's rough figures: ModelScope is not asked).
import type { CatalogImage, EngineDownloadPlan, PlannedDownload } from '../../src-shared/engine-types.js';
import { modelKey } from './catalog.js';

/** What the plan is made from. */
export interface DownloadPlanFacts {
  entry: CatalogImage;
  /** The image reference a start would run (overrides applied). */
  image: string;
  imagePresent: boolean;
  /** The image's compressed size from its registry, or null when it could not be read. */
  measuredImageBytes: number | null;
  /** Catalog model keys (id@revision) known complete in the models volume. */
  localModels: ReadonlySet<string>;
}

/** The plan for these facts. */
export function downloadPlan(facts: DownloadPlanFacts): EngineDownloadPlan {
  const { entry, measuredImageBytes } = facts;
  const image: PlannedDownload = {
    name: facts.image,
    bytes: measuredImageBytes ?? entry.approxImageBytes,
    estimate: measuredImageBytes === null,
    present: facts.imagePresent,
  };
  const models = entry.models.map((model) => ({
    name: model.id,
    role: model.role,
    bytes: model.approxBytes,
    estimate: true,
    present: facts.localModels.has(modelKey(model)),
  }));
  const missing = [image, ...models].filter((download) => !download.present);
  return {
    kind: entry.kind,
    title: entry.title,
    image,
    models,
    totalBytes: missing.reduce((sum, download) => sum + download.bytes, 0),
    estimate: missing.some((download) => download.estimate),
  };
}
