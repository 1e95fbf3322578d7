import { describe, expect, it } from 'vitest';
import { inputSchemaViolations, toolNameViolations } from './assistant-rules.js';

const good = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'ok', maxLength: 63 },
    kind: { type: 'string', enum: ['a', 'b'] },
    tags: { type: 'array', items: { type: 'string' } },
    ttl: { anyOf: [{ type: 'number' }, { type: 'string' }] },
    // Keyword-like property names are fine: they are names, not keywords.
    default: { type: 'boolean' },
    const: { type: 'object', properties: {} },
  },
  required: ['name'],
};

/** An object schema nested `levels` objects deep below the root. */
function nested(levels: number): Record<string, unknown> {
  let node: Record<string, unknown> = { type: 'object', properties: { leaf: { type: 'string' } } };
  for (let i = 1; i < levels; i++) node = { type: 'object', properties: { inner: node } };
  return { type: 'object', properties: { outer: node } };
}

const withProp = (schema: unknown) => ({ type: 'object', properties: { x: schema } });

describe('toolNameViolations', () => {
  it('accepts lower snake_case up to 45 characters', () => {
    expect(toolNameViolations('address_create')).toEqual([]);
    expect(toolNameViolations(`a${'b'.repeat(44)}`)).toEqual([]);
  });

  it.each([
    ['address.create'],
    ['Address_create'],
    ['1address'],
    ['address-create'],
    ['address:create'],
    [''],
  ])('refuses %j', (name) => {
    expect(toolNameViolations(name)).toHaveLength(1);
  });

  it('refuses a name longer than 45 characters', () => {
    expect(toolNameViolations(`a${'b'.repeat(45)}`)).toEqual([expect.stringMatching(/46 chars/)]);
  });
});

describe('inputSchemaViolations', () => {
  it('passes a schema that keeps every rule', () => {
    expect(inputSchemaViolations(good)).toEqual([]);
  });

  it.each([
    ['a root that is not an object', { type: 'string' }, /root: type/],
    ['a root without properties', { type: 'object' }, /root: no properties/],
    ['a root oneOf', { type: 'object', properties: {}, oneOf: [{ type: 'object' }] }, /root: oneOf/],
    ['a root anyOf', { type: 'object', properties: {}, anyOf: [] }, /root: anyOf/],
    ['a root allOf', { type: 'object', properties: {}, allOf: [] }, /root: allOf/],
    ['a $ref', withProp({ $ref: '#/definitions/x' }), /#\/properties\/x: has \$ref/],
    [
      'a $ref under definitions',
      { ...good, definitions: { x: { $ref: '#/y' } } },
      /#\/definitions\/x: has \$ref/,
    ],
    ['a type list', withProp({ type: ['string', 'null'] }), /not one string/],
    ['an unknown type', withProp({ type: 'null' }), /unknown type null/],
    ['a schema with no type', withProp({ description: 'anything' }), /no type/],
    ['an array without items', withProp({ type: 'array' }), /array without items/],
    ['additionalProperties', { ...good, additionalProperties: false }, /#: has additionalProperties/],
    ['const', withProp({ type: 'string', const: 'a' }), /has const/],
    ['not', withProp({ type: 'string', not: { enum: ['a'] } }), /has not/],
    ['discriminator', withProp({ type: 'object', properties: {}, discriminator: {} }), /has discriminator/],
    ['examples', withProp({ type: 'string', examples: ['a'] }), /has examples/],
    ['an x- extension', withProp({ type: 'string', 'x-panos': 1 }), /has x-panos/],
    ['$schema', { ...good, $schema: 'http://json-schema.org/draft-07/schema#' }, /has \$schema/],
    ['nullable', withProp({ type: 'string', nullable: true }), /has nullable/],
    ['default', withProp({ type: 'integer', default: 200 }), /has default/],
    ['a nested oneOf', withProp({ oneOf: [{ type: 'string' }, { type: 'number' }] }), /has oneOf/],
    ['a nested allOf', withProp({ type: 'object', properties: {}, allOf: [] }), /has allOf/],
    ['a number enum', withProp({ type: 'integer', enum: [1, 2] }), /non-string/],
    ['a string enum on a number', withProp({ type: 'number', enum: ['1'] }), /string enum on type number/],
    ['an empty enum', withProp({ type: 'string', enum: [] }), /enum is not a list/],
    ['a dashed property key', { type: 'object', properties: { 'no-pbf': { type: 'boolean' } } }, /no-pbf/],
    [
      'a property key over 64 characters',
      { type: 'object', properties: { [`k${'x'.repeat(64)}`]: { type: 'string' } } },
      /property key/,
    ],
    ['a required key that is no property', { ...good, required: ['nope'] }, /required nope/],
    ['objects nested six deep', nested(6), /nested 6 levels/],
    [
      'objects nested six deep through arrays and anyOf',
      withProp({
        type: 'array',
        items: { anyOf: [{ type: 'object', properties: { y: nested(4) } }] },
      }),
      /nested 6 levels/,
    ],
  ])('flags %s', (_what, schema, message) => {
    const violations = inputSchemaViolations(schema);
    expect(violations).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  it('allows objects nested five deep below the root, the depth the generator keeps', () => {
    expect(inputSchemaViolations(nested(5))).toEqual([]);
  });

  it('finds a violation deep inside array items and names its path', () => {
    const schema = withProp({
      type: 'array',
      items: { type: 'object', properties: { y: { type: 'string', nullable: true } } },
    });
    expect(inputSchemaViolations(schema)).toEqual(['#/properties/x/items/properties/y: has nullable']);
  });
});
