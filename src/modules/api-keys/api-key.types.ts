import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTime } from '../../core/scalars';

/** Whether a key still opens the door (状态). */
export enum ApiKeyStatus {
  ACTIVE = 'active',
  REVOKED = 'revoked',
}

registerEnumType(ApiKeyStatus, {
  name: 'ApiKeyStatus',
  description: '密钥状态 whether an API key is accepted.',
  valuesConfig: {
    ACTIVE: { description: '有效 accepted (its latest secret only)' },
    REVOKED: { description: '已吊销 refused from the moment of revocation; cannot be rotated or restored' },
  },
});

@ObjectType('ApiKey', {
  description:
    '第三方接口密钥 an API key of a third party (NGO, enterprise, foundation; 社会扶贫): bound to an organisation, the catalog entries it may read and a rate limit. Its secret is never stored or shown again after creation or rotation.',
})
export class ApiKeyNode {
  @Field(() => ID, { description: '密钥编号 the public key id: the 12 hex digits after `hgk_` in the key, and the audit subject `apikey:<id>`.' })
  id!: string;

  @Field(() => String, { description: '机构 the organisation the key is issued to.' })
  organisation!: string;

  @Field(() => [String], { description: '可读目录条目 codes of the approved-aggregate catalog entries the key may read.' })
  catalogEntries!: string[];

  @Field(() => Int, { nullable: true, description: '频次上限 requests per minute; null: the server default (API_KEY_RATE_PER_MINUTE).' })
  ratePerMinute!: number | null;

  @Field(() => ApiKeyStatus, { description: '状态 active or revoked.' })
  status!: ApiKeyStatus;

  @Field(() => String, { description: '签发人 token subject of the administrator who created it.' })
  createdBy!: string;

  @Field(() => DateTime, { description: '签发时间 when it was created.' })
  createdAt!: Date;

  @Field(() => DateTime, { nullable: true, description: '轮换时间 when its secret was last replaced (the previous one stopped working then).' })
  rotatedAt!: Date | null;

  @Field(() => DateTime, { nullable: true, description: '吊销时间 when it was revoked.' })
  revokedAt!: Date | null;

  @Field(() => Int, { description: '版本 changes with every rotation or revocation.' })
  version!: number;
}

@ObjectType({
  description: '签发的密钥 a key just created or rotated, with its secret: shown this once and never again (only its SHA-256 is stored).',
})
export class IssuedApiKey {
  @Field(() => ApiKeyNode, { description: '密钥 the key.' })
  apiKey!: ApiKeyNode;

  @Field(() => String, {
    description: '密钥全文 the whole key, `hgk_<id>_<secret>`: hand it to the organisation over a safe channel; it is sent as `Authorization: ApiKey <key>` (or `X-Api-Key: <key>`).',
  })
  key!: string;
}

@InputType({ description: '签发密钥 what a new API key is bound to.' })
export class CreateApiKeyInput {
  @Field(() => String, { description: '机构 the organisation (1–200 characters).' })
  organisation!: string;

  @Field(() => [String], { description: '可读目录条目 codes of existing catalog entries the key may read, in any status (a key may be issued before its entry is approved; it reads an entry only while approved); up to 200. An unknown code answers BAD_USER_INPUT naming it.' })
  catalogEntries!: string[];

  @Field(() => Int, { nullable: true, description: '频次上限 requests per minute (1–100000); none: the server default.' })
  ratePerMinute?: number | null;
}
