import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { divisionCode } from '../../core/entity-base';
import { Department } from '../../core/vocab';

/**
 * One change event (变更事件): a committed change to one record, written in the same
 * transaction as the change (an outbox). It names what changed — entity, id, household,
 * person, region, owner department, kind and the changed field NAMES — never the values.
 * Insert-only for the application role; old events leave through `prune_change_events`
 * (migration 1796000000000-CreateChangeEvent). Written as raw SQL (change-event.writer.ts).
 */
@Entity({ name: 'change_event' })
@Index('ix_change_event_occurred_at', ['occurredAt'])
@Check('ck_change_event_kind', `"kind" IN ('create', 'update', 'end', 'delete')`)
export class ChangeEvent {
  /** Global sequence, increasing in commit order (a statement trigger takes the audit head lock first). */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_change_event' })
  seq!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;

  /** GraphQL type name of the changed record ('DibaoEnrolment', 'Person', …). */
  @Column({ type: 'varchar', length: 64 })
  entity!: string;

  @Column({ name: 'entity_id', type: 'text' })
  entityId!: string;

  @Column({ name: 'household_id', type: 'bigint', nullable: true })
  householdId!: string | null;

  @Column({ name: 'person_id', type: 'bigint', nullable: true })
  personId!: string | null;

  /** Village code of the household, or the region the change is about. */
  @divisionCode('region_code')
  regionCode!: string;

  /** Owner department of the changed record; null for registry (core) records. */
  @Column({ type: 'enum', enum: Department, enumName: 'department', nullable: true })
  department!: Department | null;

  /** create | update | end | delete (the audit record's action). */
  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  /** Names of the fields written; never their values. */
  @Column({ type: 'text', array: true })
  fields!: string[];

  /** Token subject of the principal who made the change; null for internal jobs. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  actor!: string | null;

  @Column({ name: 'actor_role', type: 'varchar', length: 16, nullable: true })
  actorRole!: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;

  /** Import batch that applied the change (filled by imports; no foreign key yet). */
  @Column({ name: 'batch_id', type: 'bigint', nullable: true })
  batchId!: string | null;
}

export const eventEntities = [ChangeEvent];
