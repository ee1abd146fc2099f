import { IsOptional, Length } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../core/pagination';
import { DateTime } from '../../core/scalars';
import { Department } from '../../core/vocab';

// GraphQL shapes of import batches (导入批次). Plain objects copied from SQL rows
// (import-batch.service.ts); who imported is kept in the batch record and its audit record.

/** How a batch with rejected rows is applied (导入方式). */
export enum ImportModeValue {
  ALL_OR_NOTHING = 'all_or_nothing',
  APPLY_VALID = 'apply_valid',
}

/** What became of a batch (批次状态). */
export enum ImportBatchStatus {
  APPLIED = 'applied',
  REJECTED = 'rejected',
}

registerEnumType(ImportModeValue, {
  name: 'ImportMode',
  description: 'How a batch with rejected rows is applied (导入方式).',
  valuesConfig: {
    ALL_OR_NOTHING: { description: '全部或全不 any rejected row applies nothing (the default)' },
    APPLY_VALID: { description: '仅导入有效行 the valid rows are applied, the rejects listed' },
  },
});

registerEnumType(ImportBatchStatus, {
  name: 'ImportBatchStatus',
  description: 'What became of an import batch (批次状态).',
  valuesConfig: {
    APPLIED: { description: '已导入 its changes were applied (in apply-valid mode, possibly with rejects)' },
    REJECTED: { description: '已拒绝 nothing was applied: all-or-nothing with rejected rows' },
  },
});

@ObjectType('ImportReject', { description: '拒绝行 one problem of one row of an import batch.' })
export class ImportRejectNode {
  @Field(() => Int, { description: '行号 data row (the header is row 0; blank lines are not counted; GraphQL batches: position in `rows`, from 1).' })
  rowNumber!: number;

  @Field(() => String, { nullable: true, description: '列 the column as the file named it (身份证号 or idNumber); null for the whole row.' })
  column!: string | null;

  @Field({ description: '代码 what is wrong: REQUIRED, INVALID_FORMAT, OUT_OF_RANGE, NOT_IN_VOCABULARY, RULE, INVALID_ID_NUMBER, UNKNOWN_PERSON, UNKNOWN_HOUSEHOLD, DUPLICATE_KEY.' })
  code!: string;

  @Field({ description: 'Why, in English.' })
  message!: string;

  @Field({ description: '说明 why, in Chinese.' })
  messageZh!: string;
}

@ObjectType('ImportBatch', { description: '导入批次 one bulk import: its key, content digest, counts and rejects. Seen by the officers of its department and by auditors, when it ran inside their region.' })
export class ImportBatchNode {
  @Field(() => ID, { description: '批次编号 the batch’s id (GET /imports/batches/:id/rejects.csv).' })
  id!: string;

  @Field(() => Department, { description: '部门 the department whose facet was imported.' })
  department!: Department;

  @Field({ description: '导入类型 the import kind (insurance-enrolment, …).' })
  kind!: string;

  @Field({ description: '批次号 the client’s batch key: the same key and content again answers this batch and changes nothing.' })
  batchKey!: string;

  @Field(() => ImportModeValue, { description: '导入方式 all-or-nothing or apply-valid.' })
  mode!: ImportModeValue;

  @Field(() => ImportBatchStatus, { description: '批次状态 applied or rejected.' })
  status!: ImportBatchStatus;

  @Field({ description: '编码 how the rows arrived: utf-8, gb18030, gbk … or json (the importBatch mutation); the rejects CSV is written in it.' })
  encoding!: string;

  @Field({ description: '导入人 token subject of the caller who ran the batch.' })
  subject!: string;

  @Field({ description: '范围 the region prefix (统计用区划代码) the batch ran in: every row had to lie inside it.' })
  scope!: string;

  @Field(() => Int, { description: '行数 data rows in the batch.' })
  rowCount!: number;

  @Field(() => Int, { description: '新增 records inserted (0 when the batch was rejected).' })
  inserted!: number;

  @Field(() => Int, { description: '更新 records updated, their version bumped.' })
  updated!: number;

  @Field(() => Int, { description: '未变 rows that matched a record with the same values.' })
  unchanged!: number;

  @Field(() => Int, { description: '拒绝 rows rejected.' })
  rejected!: number;

  @Field({ description: '内容摘要 SHA-256 over the decoded rows in canonical column order (the same for a GBK file with Chinese headers and its UTF-8 twin).' })
  contentDigest!: string;

  @Field({ description: '变更摘要 SHA-256 over the batch’s row changes, also in its audit record (README: "What an auditor can prove about an import").' })
  changeDigest!: string;

  @Field(() => DateTime, { description: '开始时间 when the server began reading the batch.' })
  startedAt!: Date;

  @Field(() => DateTime, { description: '完成时间 when the batch was committed.' })
  finishedAt!: Date;
}

export const ImportBatchConnection = Connection(ImportBatchNode, 'ImportBatch', '导入批次');

@ObjectType('ImportBatchResult', { description: '导入结果 the batch an importBatch call ran, or found under its key.' })
export class ImportBatchResultNode {
  @Field(() => ImportBatchNode, { description: '导入批次 the batch record.' })
  batch!: ImportBatchNode;

  @Field({ description: '重复提交 true when the batch key had been used with the same content: this is the first result, and nothing changed now.' })
  replayed!: boolean;
}

@InputType({ description: 'Which import batches (导入批次筛选).' })
export class ImportBatchFilter {
  @Field(() => String, { nullable: true, description: '导入类型 only this kind.' })
  @IsOptional()
  @Length(1, 64)
  kind?: string | null;

  @Field(() => ImportBatchStatus, { nullable: true, description: '批次状态 only batches with this status.' })
  status?: ImportBatchStatus | null;

  @Field(() => String, { nullable: true, description: '批次号 only this batch key.' })
  @IsOptional()
  @Length(1, 128)
  batchKey?: string | null;
}
