import { GraphQLScalarType, Kind } from 'graphql';
export { GraphQLLocalDate as LocalDate, GraphQLDateTime as DateTime } from 'graphql-scalars';

/**
 * 统计用区划代码 statistical division code: 2 (province), 4 (city), 6 (county), 9 (township) or
 * 12 (village) digits, or the 12-digit padded form of any of them.
 */
export const DivisionCode = new GraphQLScalarType<string, string>({
  name: 'DivisionCode',
  description:
    '统计用区划代码 statistical division code: 2 (province), 4 (prefecture), 6 (county), 9 (township) or 12 (village) digits; a 12-digit code padded with zeros names its level the same way.',
  serialize(value) {
    if (typeof value !== 'string') throw new TypeError('DivisionCode must be a string');
    return value;
  },
  parseValue(value) {
    return parseDivisionCode(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new TypeError('DivisionCode must be a string of digits');
    return parseDivisionCode(ast.value);
  },
});

function parseDivisionCode(value: unknown): string {
  if (typeof value !== 'string' || !/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(value)) {
    throw new TypeError('DivisionCode must have 2, 4, 6, 9 or 12 digits');
  }
  return value;
}
