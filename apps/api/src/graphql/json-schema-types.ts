// GraphQL types generated from JSON Schema: the engine's trace schema (the one its tests validate
// traces against) and the OpenAPI document's step schemas become code-first object types (and input
// types), so GraphQL, REST and the engine describe a trace from one source. Mapping:
// an object schema → an object type (inline objects get the parent's name plus the property's), an
// enum whose values are all GraphQL names → an enum (others → String, values listed in the
// description), integer → Int, number → Float, `type: [T, "null"]` or `oneOf: [X, null]` → a
// nullable field, a oneOf of object schemas with a `kind` constant → a union, `const` → String, and
// a free-form object (Hop.details) → the JSON scalar.
import type { Type } from '@nestjs/common';
import {
  createUnionType,
  Field,
  Float,
  InputType,
  Int,
  ObjectType,
  registerEnumType,
  type GqlTypeReference,
} from '@nestjs/graphql';
import { JsonScalar } from './json.scalar';

export type JsonSchema = {
  type?: string | string[];
  $ref?: string;
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
};

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

type Kind = 'object' | 'input';

/** Enums are shared by object and input types: registered once per name. */
const ENUMS = new Map<string, object>();

/** Turns a set of named schemas (`$ref`s point at `refPrefix + name`) into GraphQL types. */
export class JsonSchemaTypes {
  private readonly built = new Map<string, GqlTypeReference>();

  constructor(
    private readonly definitions: Record<string, JsonSchema>,
    private readonly refPrefix: string,
    private readonly kind: Kind = 'object',
    /** Input type names get it (`StepInput`); enums are shared and keep their names. */
    private readonly nameSuffix = '',
  ) {}

  /** The type of a named definition (an object type, an enum or a scalar). */
  named(name: string): GqlTypeReference {
    const existing = this.built.get(name);
    if (existing) return existing;
    const schema = this.definitions[name];
    if (!schema) throw new Error(`no schema ${name}`);
    const type = this.typeOf(schema, name, true).type;
    this.built.set(name, type);
    return type;
  }

  /** The class of a named object definition, for unions and resolvers. */
  objectClass(name: string): Type<unknown> {
    return this.named(name) as Type<unknown>;
  }

  private typeOf(
    schema: JsonSchema,
    name: string,
    isDefinition = false,
  ): { type: GqlTypeReference; nullable: boolean; list: boolean } {
    if (schema.$ref) {
      const target = schema.$ref.slice(this.refPrefix.length);
      return { type: this.named(target), nullable: false, list: false };
    }
    if (schema.oneOf) {
      const others = schema.oneOf.filter((option) => option.type !== 'null');
      const nullable = others.length < schema.oneOf.length;
      if (others.length === 1) return { ...this.typeOf(others[0], name), nullable: true };
      return { type: this.unionOf(others, name), nullable, list: false };
    }
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const nullable = types.includes('null');
    const primary = types.find((type) => type !== 'null');
    if (schema.enum) return { type: this.enumType(schema, name), nullable, list: false };
    if (schema.const !== undefined) return { type: String, nullable, list: false };
    switch (primary) {
      case 'string':
        return { type: String, nullable, list: false };
      case 'integer':
        return { type: Int, nullable, list: false };
      case 'number':
        return { type: Float, nullable, list: false };
      case 'boolean':
        return { type: Boolean, nullable, list: false };
      case 'array': {
        const item = this.typeOf(schema.items ?? {}, singular(name));
        return { type: item.type, nullable, list: true };
      }
      case 'object':
        if (!schema.properties) return { type: JsonScalar, nullable, list: false };
        return { type: this.objectType(schema, name, isDefinition), nullable, list: false };
      default:
        throw new Error(`${name}: no GraphQL type for ${JSON.stringify(schema).slice(0, 80)}`);
    }
  }

  /**
   * A oneOf of referenced object schemas, told apart by their `kind` constant (ProbeTrace's
   * `probe`, DnsTrace's `dns`): a GraphQL union.
   */
  private unionOf(options: JsonSchema[], name: string): GqlTypeReference {
    if (this.kind === 'input') throw new Error(`${name}: GraphQL inputs have no unions`);
    const members = options.map((option) => {
      const target = option.$ref?.slice(this.refPrefix.length) ?? '';
      const kind = this.definitions[target]?.properties?.kind?.const;
      if (typeof kind !== 'string') throw new Error(`${name}: union members need a kind constant`);
      return { kind, type: this.named(target) as Type<unknown> };
    });
    return createUnionType({
      name,
      types: () => members.map((member) => member.type),
      resolveType: (value: { kind?: string }) =>
        members.find((member) => member.kind === value.kind)?.type,
    }) as object;
  }

  private enumType(schema: JsonSchema, name: string): GqlTypeReference {
    const values = (schema.enum ?? []).map(String);
    if (!values.every((value) => GRAPHQL_NAME.test(value))) return String;
    const existing = ENUMS.get(name);
    if (existing) return existing;
    const enumObject = Object.fromEntries(values.map((value) => [value, value]));
    registerEnumType(enumObject, { name, description: schema.description });
    ENUMS.set(name, enumObject);
    return enumObject;
  }

  private objectType(schema: JsonSchema, name: string, isDefinition: boolean): Type<unknown> {
    const typeName = `${name}${this.nameSuffix}`;
    const cls = { [typeName]: class {} }[typeName];
    // Registered before its fields, so a property that refers back to it finds it.
    if (isDefinition) this.built.set(name, cls);
    const decorate = this.kind === 'object' ? ObjectType : InputType;
    decorate(typeName, { description: schema.description })(cls);
    const required = new Set(schema.required ?? []);
    for (const [property, propertySchema] of Object.entries(schema.properties ?? {})) {
      const field = this.typeOf(propertySchema, `${name}${capitalised(property)}`);
      const description = propertySchema.description ?? describeEnum(propertySchema);
      Field(() => (field.list ? [field.type] : field.type), {
        nullable: field.nullable || !required.has(property),
        ...(description ? { description } : {}),
      })(cls.prototype, property);
    }
    return cls;
  }
}

/** For an enum GraphQL cannot spell (values with dashes): its values, in the description. */
function describeEnum(schema: JsonSchema): string | undefined {
  const values = schema.enum?.map(String);
  if (!values || values.every((value) => GRAPHQL_NAME.test(value))) return undefined;
  return `One of: ${values.join(', ')}`;
}

function capitalised(word: string): string {
  return word[0].toUpperCase() + word.slice(1);
}

function singular(name: string): string {
  return name.endsWith('s') && !name.endsWith('ss') ? name.slice(0, -1) : name;
}
