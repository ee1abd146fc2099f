import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsOptional, Length } from 'class-validator';
import { AuditAction, AuditOutcome } from '../../core/audit-sink';
import { Role } from '../../core/auth';
import { Connection } from '../../core/pagination';
import { DateTime, DivisionCode } from '../../core/scalars';
import { Department } from '../../core/vocab';

// The two vocabularies are core's (core/audit-sink.ts: core writes the records); registered here.
export { AuditAction, AuditOutcome };

/** What the chain verifier found (校验发现). */
export enum AuditChainFindingKind {
  ALTERED = 'altered',
  REMOVED = 'removed',
  UNLINKED = 'unlinked',
  ROLLED_BACK = 'rolled_back',
  WIPED = 'wiped',
  CHECKPOINT_MISMATCH = 'checkpoint_mismatch',
}

registerEnumType(AuditAction, {
  name: 'AuditAction',
  description: 'What an audited call did (操作类型).',
  valuesConfig: {
    CREATE: { description: '新增 created a record' },
    UPDATE: { description: '修改 changed a record' },
    END: { description: '终止 ended a record (enrolment, support, contract)' },
    DELETE: { description: '删除 deleted a record' },
    READ: { description: '查看 read an unmasked personal field (with a stated purpose)' },
  },
});

registerEnumType(AuditOutcome, {
  name: 'AuditOutcome',
  description: 'How an audited call ended (结果). Refused writes are audited too, and changed nothing.',
  valuesConfig: {
    SUCCESS: { description: '成功 done' },
    CONFLICT: { description: '版本冲突 refused: stale version or duplicate key' },
    NOT_FOUND: { description: '未找到 refused: the record is missing or outside the caller\'s scope' },
    FORBIDDEN: { description: '无权限 refused: not the caller\'s to change' },
    INVALID: { description: '输入无效 refused: invalid input' },
    DUPLICATE_ELSEWHERE: { description: '他处已登记 refused: the ID or household number is registered outside the caller\'s scope (where is never said)' },
    RATE_LIMITED: { description: '频次受限 refused: too many duplicate-elsewhere refusals by this caller in the last hour' },
  },
});

registerEnumType(AuditChainFindingKind, {
  name: 'AuditChainFindingKind',
  description: 'What the hash-chain verifier found wrong (审计链校验发现).',
  valuesConfig: {
    ALTERED: { description: '被篡改 the record no longer matches its own hash: its content (or its stored hash) was changed' },
    REMOVED: { description: '被删除 records seq…lastSeq are missing from the chain' },
    UNLINKED: {
      description:
        '断链 the record matches its own hash, but the link from its predecessor does not hold (it or its predecessor was rewritten and re-hashed), or it is the newest record and disagrees with the chain head',
    },
    ROLLED_BACK: {
      description:
        '被回滚 the chain head is behind a signed checkpoint: records seq…lastSeq were cut from the end of the chain and the head moved back',
    },
    WIPED: { description: '被清空 the audit table holds no record, though a signed checkpoint says records seq…lastSeq existed (deleted or truncated)' },
    CHECKPOINT_MISMATCH: {
      description:
        '与检查点不符 the record at a signed checkpoint\'s position carries another hash than the checkpoint: the chain was rewritten from there (or cut and written anew)',
    },
  },
});

@ObjectType('AuditRecord', {
  description: 'One entry of the audit log (审计记录): who did what, when, why and how it ended. Append-only and hash-chained.',
})
export class AuditRecordNode {
  @Field(() => ID, { description: 'Record id.' })
  id!: string;

  @Field({ description: '链序号 position in the hash chain (decimal; 1, 2, 3 … without gaps).' })
  seq!: string;

  @Field(() => DateTime, { description: '发生时间 when it happened.' })
  occurredAt!: Date;

  @Field(() => String, { nullable: true, description: '操作人 token subject of the caller; null for internal jobs.' })
  subject!: string | null;

  @Field(() => Role, { nullable: true, description: '角色 role of the caller.' })
  role!: Role | null;

  @Field(() => Department, { nullable: true, description: '部门 department of the caller, for officers.' })
  department!: Department | null;

  @Field(() => AuditAction, { description: '操作类型 what was done.' })
  action!: AuditAction;

  @Field({ description: '对象类型 GraphQL type of the record acted on (Household, Person, …).' })
  entity!: string;

  @Field(() => ID, { nullable: true, description: '对象编号 id of the record acted on; null when a create was refused before it had one.' })
  entityId!: string | null;

  @Field(() => [String], { description: '字段 fields written or unmasked.' })
  fields!: string[];

  @Field(() => String, { nullable: true, description: '事由 the purpose the caller stated.' })
  purpose!: string | null;

  @Field({ description: '请求编号 request id (also in the x-request-id response header and the server log).' })
  requestId!: string;

  @Field(() => AuditOutcome, { description: '结果 how it ended.' })
  outcome!: AuditOutcome;

  @Field({ description: '区划代码 division code (or prefix) of the record acted on.' })
  regionCode!: string;

  @Field({ description: '前一条哈希 SHA-256 (hex) of the previous record in the chain.' })
  prevHash!: string;

  @Field({ description: '本条哈希 SHA-256 (hex) of this record\'s content and prevHash.' })
  hash!: string;
}

export const AuditRecordConnection = Connection(AuditRecordNode, 'AuditRecord', '审计记录');

@InputType({ description: 'Which audit records to list (审计日志筛选). All conditions must hold.' })
export class AuditLogFilter {
  @Field(() => DivisionCode, { nullable: true, description: 'Only records inside this division (区划代码前缀); never wider than your scope.' })
  regionCode?: string | null;

  @Field(() => String, { nullable: true, description: '对象类型 GraphQL type acted on, e.g. Household.' })
  @IsOptional()
  @Length(1, 64)
  entity?: string | null;

  @Field(() => ID, { nullable: true, description: '对象编号 id of the record acted on.' })
  @IsOptional()
  @Length(1, 64)
  entityId?: string | null;

  @Field(() => String, { nullable: true, description: '操作人 token subject of the caller.' })
  @IsOptional()
  @Length(1, 128)
  subject?: string | null;

  @Field(() => AuditAction, { nullable: true, description: '操作类型 what was done.' })
  action?: AuditAction | null;

  @Field(() => AuditOutcome, { nullable: true, description: '结果 how it ended.' })
  outcome?: AuditOutcome | null;

  @Field(() => DateTime, { nullable: true, description: '起始时间 at or after this instant.' })
  from?: Date | null;

  @Field(() => DateTime, { nullable: true, description: '截止时间 before this instant (exclusive).' })
  to?: Date | null;
}

@ObjectType('AuditChainFinding', { description: 'One thing the hash-chain verifier found wrong (审计链校验发现).' })
export class AuditChainFindingNode {
  @Field(() => AuditChainFindingKind, { description: '类型 what is wrong.' })
  kind!: AuditChainFindingKind;

  @Field({ description: '链序号 seq of the record (the first one of a removed run).' })
  seq!: string;

  @Field({ description: '末序号 last seq of a removed run; equal to seq otherwise.' })
  lastSeq!: string;

  @Field(() => ID, { nullable: true, description: 'Record id; null for removed records.' })
  id!: string | null;

  @Field(() => String, { nullable: true, description: '区划代码 stored region of the record; null for removed records (their region went with them).' })
  regionCode!: string | null;
}

@ObjectType('AuditCheckpoint', {
  description:
    'A signed checkpoint of the audit chain head (审计链检查点), written to the log and to a file outside the database, which the chain is held to.',
})
export class AuditCheckpointNode {
  @Field({ description: '链序号 seq of the newest record when the checkpoint was taken.' })
  seq!: string;

  @Field({ description: '哈希 hash of that record.' })
  hash!: string;

  @Field(() => DateTime, { description: '时间 when the checkpoint was taken.' })
  at!: Date;
}

@ObjectType('AuditChainVerification', {
  description:
    'Result of re-hashing the audit chain (审计链校验). The chain is one global sequence, so it is always walked in full; records are named only inside your scope, removed records (whose region is gone with them) by seq to every auditor, and findings elsewhere are only counted.',
})
export class AuditChainVerificationNode {
  @Field({ description: '完整 true when nothing in the walked range was altered, removed or unlinked — in any region.' })
  intact!: boolean;

  @Field(() => Int, { description: '已校验 records read and re-hashed.' })
  checkedRecords!: number;

  @Field({ description: '链头序号 seq of the newest record when the walk began (note it down: a later head must extend it).' })
  headSeq!: string;

  @Field({ description: '链头哈希 hash of the newest record when the walk began.' })
  headHash!: string;

  @Field(() => [AuditChainFindingNode], { description: '发现 findings you may see, in seq order (at most 1,000).' })
  findings!: AuditChainFindingNode[];

  @Field(() => Int, { description: '范围外发现 findings on records outside your scope: counted, not named.' })
  findingsOutsideScope!: number;

  @Field({ description: '已截断 more findings exist than are listed.' })
  truncated!: boolean;

  @Field(() => AuditCheckpointNode, {
    nullable: true,
    description: '检查点 the newest signed checkpoint the chain was held to (a head behind it is ROLLED_BACK or WIPED); null when none is configured or written yet.',
  })
  checkpoint!: AuditCheckpointNode | null;

  @Field(() => Int, { description: '无效检查点 checkpoint lines ignored because their signature (or form) does not hold: forged or damaged, never trusted.' })
  rejectedCheckpoints!: number;
}
