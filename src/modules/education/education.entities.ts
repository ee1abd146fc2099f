import { Column, Entity, Index } from 'typeorm';
import { money } from '../../core/entity-base';
import { PersonFacet } from '../../core/facet-base';
import { DropoutWatchStatus, SchoolingStage, SchoolStatus, StudentAidKind, WorkStatus } from '../../core/vocab';

// Facets owned by 教育 education.

/** School enrolment (学籍) of a person in a school year. */
@Entity({ name: 'school_enrolment' })
@Index('ix_school_enrolment_person', ['personId', 'schoolYear'])
@Index('ix_school_enrolment_household', ['householdId'])
@Index('ix_school_enrolment_county_year', ['countyCode', 'schoolYear'])
export class SchoolEnrolment extends PersonFacet {
  /** The year the school year starts (2024 = 2024–25). */
  @Column({ name: 'school_year', type: 'smallint' })
  schoolYear!: number;

  @Column({ type: 'enum', enum: SchoolingStage, enumName: 'schooling_stage' })
  stage!: SchoolingStage;

  @Column({ name: 'school_name', type: 'varchar', length: 100 })
  schoolName!: string;

  @Column({ type: 'smallint' })
  grade!: number;

  @Column({ type: 'enum', enum: SchoolStatus, enumName: 'school_status' })
  status!: SchoolStatus;
}

/** 控辍保学 dropout-watch case. */
@Entity({ name: 'dropout_watch' })
@Index('ix_dropout_watch_person', ['personId'])
@Index('ix_dropout_watch_household', ['householdId'])
export class DropoutWatch extends PersonFacet {
  @Column({ name: 'opened_on', type: 'date' })
  openedOn!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'enum', enum: DropoutWatchStatus, enumName: 'dropout_watch_status' })
  status!: DropoutWatchStatus;

  @Column({ name: 'closed_on', type: 'date', nullable: true })
  closedOn!: string | null;
}

/** Student aid (学生资助), e.g. 两免一补. */
@Entity({ name: 'student_aid' })
@Index('ix_student_aid_person', ['personId', 'schoolYear'])
@Index('ix_student_aid_household', ['householdId'])
export class StudentAid extends PersonFacet {
  @Column({ type: 'enum', enum: StudentAidKind, enumName: 'student_aid_kind' })
  kind!: StudentAidKind;

  @Column({ name: 'school_year', type: 'smallint' })
  schoolYear!: number;

  @money('amount')
  amount!: string;
}

/** 雨露计划 vocational training of a person from a registered household. */
@Entity({ name: 'yulu_training' })
@Index('ix_yulu_training_person', ['personId'])
@Index('ix_yulu_training_household', ['householdId'])
export class YuluTraining extends PersonFacet {
  @Column({ type: 'varchar', length: 100 })
  programme!: string;

  @Column({ name: 'start_date', type: 'date' })
  startDate!: string;

  @Column({ name: 'end_date', type: 'date', nullable: true })
  endDate!: string | null;

  @money('subsidy')
  subsidy!: string;

  @Column({ type: 'enum', enum: WorkStatus, enumName: 'work_status' })
  status!: WorkStatus;
}

export const educationEntities = [SchoolEnrolment, DropoutWatch, StudentAid, YuluTraining];
