import { describe, expect, it } from 'vitest';
import { catalogNames, type ModelCatalog, resolveModel } from './model-catalog.js';

const catalog: ModelCatalog = {
  textModels: ['llama', 'llava'],
  imageModels: ['flux-dev'],
  visionModels: ['llava'],
  defaultTextModel: 'llama',
  defaultImageModel: 'flux-dev',
  defaultVisionModel: 'llava',
  aliases: { flux: 'flux-dev', chat: 'llama', broken: 'missing' },
};

describe('resolveModel', () => {
  it('gives the default for an empty name, by kind and by images', () => {
    expect(resolveModel(catalog, '', 'chat')).toBe('llama');
    expect(resolveModel(catalog, '', 'chat', true)).toBe('llava');
    expect(resolveModel(catalog, '', 'image')).toBe('flux-dev');
  });

  it('follows an alias one level, only to a model of the kind asked', () => {
    expect(resolveModel(catalog, 'flux', 'image')).toBe('flux-dev');
    expect(resolveModel(catalog, 'flux', 'chat')).toBeUndefined();
    expect(resolveModel(catalog, 'broken', 'chat')).toBeUndefined();
  });

  it('accepts listed ids and refuses others', () => {
    expect(resolveModel(catalog, 'llava', 'chat')).toBe('llava');
    expect(resolveModel(catalog, 'gpt-4o', 'chat')).toBeUndefined();
  });

  it('accepts ids matching the pattern, except models listed for the other kind', () => {
    const open = { ...catalog, modelPattern: /^[\w-]+\/[\w-]+$/ };
    expect(resolveModel(open, 'owner/any-model', 'chat')).toBe('owner/any-model');
    expect(resolveModel(open, 'owner/any-model', 'image')).toBe('owner/any-model');
    expect(resolveModel(open, 'no-slash', 'chat')).toBeUndefined();
    const listed = { ...open, imageModels: ['black/flux'] };
    expect(resolveModel(listed, 'black/flux', 'image')).toBe('black/flux');
    expect(resolveModel(listed, 'black/flux', 'chat')).toBeUndefined();
    expect(catalogNames(open, 'chat')).toEqual(catalogNames(catalog, 'chat'));
  });

  it('lists ids and usable aliases per kind', () => {
    expect(catalogNames(catalog, 'image')).toEqual(['flux-dev', 'flux']);
    expect(catalogNames(catalog, 'chat')).toEqual(['llama', 'llava', 'chat']);
  });
});
