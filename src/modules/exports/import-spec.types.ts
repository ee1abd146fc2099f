import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDate } from '../../core/scalars';
import { Department } from '../../core/vocab';

// The published column spec of each import/export kind (导入导出列规范), derived from the facet
// declarations (core/facet-declaration.ts `columnSpecOf`). Reference data: no personal data.

/** How a column's cells are read (core/facet-validate.ts `fromCell`, `validateValue`). */
export enum ImportValueKind {
  ID_NUMBER = 'idNumber',
  HOUSEHOLD_NUMBER = 'householdNumber',
  TEXT = 'text',
  INT = 'int',
  YEAR = 'year',
  MONEY = 'money',
  DATE = 'date',
  ENUM = 'enum',
  BOOLEAN = 'boolean',
}

registerEnumType(ImportValueKind, {
  name: 'ImportValueKind',
  description: 'The value type of an import/export column (列类型).',
  valuesConfig: {
    ID_NUMBER: { description: '身份证号 an 18-digit resident ID number (GB 11643 checksum), matching a person' },
    HOUSEHOLD_NUMBER: { description: '户编号 a household number of the 建档立卡 registry, matching a household' },
    TEXT: { description: '文本 text, trimmed; at most `maxLength` characters' },
    INT: { description: '整数 a whole number from `min` to `max`' },
    YEAR: { description: '年度 a year from `min` to `max`' },
    MONEY: { description: '金额 yuan (元) with at most two decimals, from `min` to `max`' },
    DATE: { description: '日期 a date written YYYY-MM-DD (2024/3/1 and 20240301 are read too), from `earliestDate` to `latestDate`' },
    ENUM: { description: '代码 one of `allowedValues` (the GraphQL enum names are read too)' },
    BOOLEAN: { description: '是否 true or false (是/否, 1/0, yes/no are read too)' },
  },
});

/** What a facet record hangs off. */
export enum FacetParent {
  HOUSEHOLD = 'household',
  PERSON = 'person',
}

registerEnumType(FacetParent, {
  name: 'FacetParent',
  description: 'What a department record hangs off (所属对象).',
  valuesConfig: {
    HOUSEHOLD: { description: '户 a household, matched by household number' },
    PERSON: { description: '人 a person, matched by ID number' },
  },
});

@ObjectType('ImportColumn', { description: '导入导出列 one column of a kind\'s CSV import and export spec, in file order.' })
export class ImportColumnNode {
  @Field(() => String, { description: 'Canonical (English) header (英文列名): what exports write by default.' })
  header!: string;

  @Field(() => String, { description: '中文列名 Chinese header: imports accept it in place of the English one; exports write it with `header=zh`.' })
  headerZh!: string;

  @Field(() => String, { description: 'The API field the column fills (对应字段), or the parent key (`idNumber`, `householdNumber`).' })
  field!: string;

  @Field(() => Boolean, { description: '必填 whether every row must fill it (an empty cell is refused).' })
  required!: boolean;

  @Field(() => ImportValueKind, { description: '列类型 how the cells are read and checked.' })
  type!: ImportValueKind;

  @Field(() => [String], { nullable: true, description: '允许值 the values an enum column takes, as exports write them; null for other types.' })
  allowedValues!: string[] | null;

  @Field(() => Float, { nullable: true, description: '最小值 the least number (int, year, money); null for other types.' })
  min!: number | null;

  @Field(() => Float, { nullable: true, description: '最大值 the greatest number (int, year, money; a year\'s from today on the service calendar); null for other types.' })
  max!: number | null;

  @Field(() => Int, { nullable: true, description: '最大长度 the most characters of a text column; null for other types.' })
  maxLength!: number | null;

  @Field(() => LocalDate, { nullable: true, description: '最早日期 the earliest date of a date column; null for other types.' })
  earliestDate!: string | null;

  @Field(() => LocalDate, { nullable: true, description: '最晚日期 the latest date of a date column (from today on the service calendar); null for other types.' })
  latestDate!: string | null;

  @Field(() => String, { description: '说明 what the column holds.' })
  description!: string;
}

@ObjectType('ImportSpec', { description: '导入导出规范 the CSV column spec of one kind: what `POST /imports/:department/:kind` reads and `GET /exports/:department/:kind` writes.' })
export class ImportSpecNode {
  @Field(() => String, { description: '类型 the kind, as in the import and export URLs (`insurance-enrolment`).' })
  kind!: string;

  @Field(() => String, { description: '说明 what a record of this kind is.' })
  description!: string;

  @Field(() => Department, { description: '主管部门 the one department that imports and exports it.' })
  department!: Department;

  @Field(() => FacetParent, { description: '所属对象 whether a row belongs to a household or a person.' })
  parent!: FacetParent;

  @Field(() => String, { description: '关联键 the column that matches a row to its household or person (the first column).' })
  parentKey!: string;

  @Field(() => [String], { description: '匹配键 the columns that, with the parent key, identify one record on import (a row with the same key updates it); empty: every row is a new record.' })
  naturalKey!: string[];

  @Field(() => [ImportColumnNode], { description: '列 the columns, in file order.' })
  columns!: ImportColumnNode[];
}
