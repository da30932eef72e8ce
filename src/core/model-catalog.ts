import type { GenerationKind } from './generation-request.js';

/** The models a provider serves and the names it also answers to. */
export interface ModelCatalog {
  textModels: readonly string[];
  imageModels: readonly string[];
  /** Text models that also accept images; each is listed in `textModels` too. */
  visionModels: readonly string[];
  defaultTextModel?: string;
  defaultImageModel?: string;
  defaultVisionModel?: string;
  /** Public name → the provider's own model id; one level, never chained. */
  aliases: Readonly<Record<string, string>>;
  /**
   * Ids served beyond the lists, for either kind (Replicate's `owner/name[:version]`);
   * a listed model of the other kind is not taken. Never listed, as it names no model.
   */
  modelPattern?: RegExp;
}

export const emptyCatalog: ModelCatalog = {
  textModels: [],
  imageModels: [],
  visionModels: [],
  aliases: {},
};

function modelsOfKind(catalog: ModelCatalog, kind: GenerationKind): readonly string[] {
  return kind === 'chat' ? catalog.textModels : catalog.imageModels;
}

/**
 * The provider's own id for `name`, or undefined when the provider does not serve it for
 * this kind of request. An empty name means the default model (the vision default when
 * the request carries images).
 */
export function resolveModel(
  catalog: ModelCatalog,
  name: string,
  kind: GenerationKind,
  withImages = false,
): string | undefined {
  if (name === '') {
    if (kind === 'image') return catalog.defaultImageModel;
    return withImages ? catalog.defaultVisionModel : catalog.defaultTextModel;
  }
  const models = modelsOfKind(catalog, kind);
  const target = catalog.aliases[name];
  if (target !== undefined && models.includes(target)) return target;
  if (models.includes(name)) return name;
  const otherModels = modelsOfKind(catalog, kind === 'chat' ? 'image' : 'chat');
  const matches = catalog.modelPattern?.test(name) === true;
  return matches && !otherModels.includes(name) ? name : undefined;
}

/** Every name a request of this kind may use with the provider: ids and aliases. */
export function catalogNames(catalog: ModelCatalog, kind: GenerationKind): string[] {
  const models = modelsOfKind(catalog, kind);
  const aliases = Object.keys(catalog.aliases).filter((alias) => {
    const target = catalog.aliases[alias];
    return target !== undefined && models.includes(target);
  });
  return [...models, ...aliases];
}

/** A catalog of image models only, the first of them the default. */
export function imageCatalog(
  models: readonly string[],
  aliases: Readonly<Record<string, string>>,
): ModelCatalog {
  const [first] = models;
  return {
    textModels: [],
    imageModels: models,
    visionModels: [],
    ...(first === undefined ? {} : { defaultImageModel: first }),
    aliases,
  };
}
