import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { HouseholdFacet } from '../../core/facet-base';
import { Department } from '../../core/vocab';

// Procedures with public notice (识别/退出/防返贫监测纳入, issue 12 §4), owned by 扶贫办 the poverty
// office. One row per procedure (its current step and status), one row per step taken (who,
// role, when, comment; append-only for the app role) and one per objection raised during the
// village notice (公示). The state machine itself is procedure.machine.ts.

/** Which procedure (程序类型). */
export enum ProcedureKind {
  IDENTIFICATION = 'identification',
  EXIT = 'exit',
  MONITORING = 'monitoring',
}

/** Subject type of a 防返贫 monitoring inclusion (监测对象类别). */
export enum MonitoringSubject {
  EXITED_UNSTABLE = 'exited_unstable',
  AT_RISK = 'at_risk',
  SUDDEN_HARDSHIP = 'sudden_hardship',
}

/** The steps, in order (两公示一公告 reduced to its published sequence). */
export enum ProcedureStep {
  APPLICATION = 'application',
  VILLAGE_REVIEW = 'village_review',
  VILLAGE_NOTICE = 'village_notice',
  TOWNSHIP_AUDIT = 'township_audit',
  COUNTY_APPROVAL = 'county_approval',
  ANNOUNCEMENT = 'announcement',
}

/** open → completed (after the announcement) or rejected (an objection upheld). */
export enum ProcedureStatus {
  OPEN = 'open',
  COMPLETED = 'completed',
  REJECTED = 'rejected',
}

export enum ObjectionStatus {
  OPEN = 'open',
  DISMISSED = 'dismissed',
  UPHELD = 'upheld',
}

/** A procedure for one household (一户一程序: at most one open at a time). */
@Entity({ name: 'procedure' })
@Index('ux_procedure_open_household', ['householdId'], { unique: true, where: `"status" = 'open'` })
@Index('ix_procedure_household', ['householdId', 'id'])
@Index('ix_procedure_county_step', ['countyCode', 'step', 'id'])
@Check('ck_procedure_subject', `("kind" = 'monitoring') = ("subject_type" IS NOT NULL)`)
@Check('ck_procedure_notice', `"notice_ends_on" IS NULL OR "notice_ends_on" >= "notice_starts_on"`)
export class Procedure extends HouseholdFacet {
  @Column({ type: 'enum', enum: ProcedureKind, enumName: 'procedure_kind' })
  kind!: ProcedureKind;

  @Column({ name: 'subject_type', type: 'enum', enum: MonitoringSubject, enumName: 'monitoring_subject', nullable: true })
  subjectType!: MonitoringSubject | null;

  /** The year the procedure is for (exit readiness is judged for it). */
  @Column({ type: 'smallint' })
  year!: number;

  /** 致贫原因 recorded with an identification (vocabulary version 1); null otherwise. */
  @Column({ name: 'main_cause', type: 'varchar', length: 32, nullable: true })
  mainCause!: string | null;

  /** The last step taken. */
  @Column({ type: 'enum', enum: ProcedureStep, enumName: 'procedure_step' })
  step!: ProcedureStep;

  @Column({ type: 'enum', enum: ProcedureStatus, enumName: 'procedure_status', default: ProcedureStatus.OPEN })
  status!: ProcedureStatus;

  @Column({ name: 'applied_on', type: 'date' })
  appliedOn!: string;

  /** First day of the village notice (公示), a Beijing day. */
  @Column({ name: 'notice_starts_on', type: 'date', nullable: true })
  noticeStartsOn!: string | null;

  /** Last day of the village notice. */
  @Column({ name: 'notice_ends_on', type: 'date', nullable: true })
  noticeEndsOn!: string | null;

  /** The notice as posted, generated without ID numbers, phone numbers, bank accounts or health details. */
  @Column({ name: 'notice_text', type: 'text', nullable: true })
  noticeText!: string | null;

  /** The county's announcement (公告) as posted. */
  @Column({ name: 'announcement_text', type: 'text', nullable: true })
  announcementText!: string | null;

  @Column({ name: 'closed_on', type: 'date', nullable: true })
  closedOn!: string | null;
}

/** One step taken (程序环节记录): who, in which role, when, and why. Never changed afterwards. */
@Entity({ name: 'procedure_step_record' })
@Index('ux_procedure_step_record_step', ['procedureId', 'step'], { unique: true })
export class ProcedureStepRecord {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_procedure_step_record' })
  id!: string;

  @Column({ name: 'procedure_id', type: 'bigint' })
  procedureId!: string;

  @ManyToOne(() => Procedure, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'procedure_id', foreignKeyConstraintName: 'fk_procedure_step_record_procedure' })
  procedure?: Procedure;

  @Column({ name: 'household_id', type: 'bigint' })
  householdId!: string;

  @Column({ name: 'county_code', type: 'varchar', length: 6, collation: 'C' })
  countyCode!: string;

  @Column({ type: 'enum', enum: ProcedureStep, enumName: 'procedure_step' })
  step!: ProcedureStep;

  /** Token subject of the person who took the step. */
  @Column({ type: 'varchar', length: 128 })
  actor!: string;

  @Column({ name: 'actor_role', type: 'varchar', length: 16 })
  actorRole!: string;

  @Column({ name: 'actor_department', type: 'enum', enum: Department, enumName: 'department', nullable: true })
  actorDepartment!: Department | null;

  /** The actor's scope (division-code prefix) when they took the step. */
  @Column({ name: 'actor_scope', type: 'varchar', length: 12, collation: 'C' })
  actorScope!: string;

  /** The service-calendar day (Beijing) the step was taken on. */
  @Column({ name: 'occurred_on', type: 'date' })
  occurredOn!: string;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ type: 'text' })
  comment!: string;
}

/** An objection raised during the village notice (公示异议) and how it was resolved. */
@Entity({ name: 'procedure_objection' })
@Index('ix_procedure_objection_procedure', ['procedureId', 'id'])
export class ProcedureObjection extends HouseholdFacet {
  @Column({ name: 'procedure_id', type: 'bigint' })
  procedureId!: string;

  @ManyToOne(() => Procedure, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'procedure_id', foreignKeyConstraintName: 'fk_procedure_objection_procedure' })
  procedure?: Procedure;

  @Column({ type: 'enum', enum: ObjectionStatus, enumName: 'objection_status', default: ObjectionStatus.OPEN })
  status!: ObjectionStatus;

  /** What was objected (recorded by staff; as said, not verified). */
  @Column({ type: 'text' })
  content!: string;

  @Column({ name: 'raised_by', type: 'varchar', length: 128 })
  raisedBy!: string;

  @Column({ name: 'raised_role', type: 'varchar', length: 16 })
  raisedRole!: string;

  @Column({ name: 'raised_on', type: 'date' })
  raisedOn!: string;

  @Column({ name: 'resolved_by', type: 'varchar', length: 128, nullable: true })
  resolvedBy!: string | null;

  @Column({ name: 'resolved_role', type: 'varchar', length: 16, nullable: true })
  resolvedRole!: string | null;

  @Column({ name: 'resolved_on', type: 'date', nullable: true })
  resolvedOn!: string | null;

  @Column({ type: 'text', nullable: true })
  resolution!: string | null;
}

export const procedureEntities = [Procedure, ProcedureStepRecord, ProcedureObjection];
