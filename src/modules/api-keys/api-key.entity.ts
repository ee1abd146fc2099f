import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { divisionCode } from '../../core/entity-base';

/**
 * An API key of a third party (第三方接口密钥, issue 9 §3): bound to one organisation, the
 * approved-aggregate catalog entries it may read and a rate limit. Only the SHA-256 of its secret
 * is stored; the secret is shown once, when the key is created or rotated. Owned by the api-keys
 * module; written by administrators through core/writes.ts (audited).
 */
@Entity({ name: 'api_key' })
@Check('ck_api_key_rate', `"rate_per_minute" IS NULL OR "rate_per_minute" BETWEEN 1 AND 100000`)
@Check('ck_api_key_id', `"id" ~ '^[0-9a-f]{12}$'`)
export class ApiKey {
  /** The public key id (12 hex digits): the part of the key before its secret, and the audit subject `apikey:<id>`. */
  @PrimaryColumn({ type: 'varchar', length: 12, collation: 'C', primaryKeyConstraintName: 'pk_api_key' })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  organisation!: string;

  /** Codes of the approved-aggregate catalog entries the key may read. */
  @Column({ name: 'catalog_entries', type: 'text', array: true, default: () => "'{}'" })
  catalogEntries!: string[];

  /** Requests per minute; null: the configured default (API_KEY_RATE_PER_MINUTE). */
  @Column({ name: 'rate_per_minute', type: 'int', nullable: true })
  ratePerMinute!: number | null;

  /** Hex SHA-256 of the secret (a 256-bit random value: a fast hash is enough, no password stretching). */
  @Column({ name: 'secret_sha256', type: 'char', length: 64 })
  secretSha256!: string;

  /** Region the key's audit records are filed under: the issuing administrator's scope. */
  @divisionCode('region_code')
  regionCode!: string;

  /** Token subject of the administrator who created it. */
  @Column({ name: 'created_by', type: 'varchar', length: 128 })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'int', default: 1 })
  version!: number;
}

export const apiKeyEntities = [ApiKey];
