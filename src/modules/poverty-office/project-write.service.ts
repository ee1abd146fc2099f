import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../core/context';
import { AppError, badInput, notFound } from '../../core/errors';
import { regionPredicate } from '../../core/scope';
import { Department } from '../../core/vocab';
import { assertDateWithin, assertYearWithin, readBack } from '../../core/write-checks';
import { assertDateOrder, insertRow, mutate } from '../../core/writes';
import { TransitionRefused } from './measure-transition.types';
import { fundAllocationById, projectById } from './poverty-office.loaders';
import type { FundAllocationNode, ProjectNode } from './poverty-office.types';
import { FUNDABLE, NoticeKind, PROJECT_TRANSITIONS, ProjectStatus } from './project-stage';
import type { AllocateFundsInput, CreateProjectInput, ProjectTransitionInput } from './project.inputs';
import { budgetExceeded, BudgetExceeded, IllegalProjectTransition, illegalProjectMove } from './project-transition.types';
import { publishNotice } from './public-notice.service';

// Projects and funds (项目资金) of 扶贫办 the poverty office: "projects follow the plan, funds
// follow the projects". Each approval, allocation and acceptance is published as a notice in
// the same transaction (public-notice.service.ts).

const OWNER = Department.POVERTY_OFFICE;
const PROJECT_AHEAD_YEARS = 2;

/** The project row `id` inside scope, locked until the transaction ends; NOT_FOUND otherwise. */
async function lockProject(ctx: RequestContext, tx: EntityManager, id: string) {
  if (!/^\d{1,18}$/.test(id)) throw notFound('Project');
  const scope = regionPredicate(ctx.scope, 'p.region_code', 2);
  const rows: Array<{ version: number; status: ProjectStatus; regionCode: string; budget: string; fundSources: string[] }> = await tx.query(
    `SELECT p.version, p.status, p.region_code AS "regionCode", p.budget::text AS budget, p.fund_sources::text[] AS "fundSources"
       FROM project p WHERE p.id = $1 AND ${scope.sql} FOR UPDATE`,
    [id, ...scope.params],
  );
  if (!rows.length) throw notFound('Project');
  return rows[0];
}

export class ProjectWriteService {
  /** A project in a village or township inside scope, entering the pool as PLANNED. */
  static async createProject(ctx: RequestContext, input: CreateProjectInput): Promise<ProjectNode> {
    const id = await mutate(ctx, { department: OWNER, action: 'create', entity: 'Project', entityId: null, fields: Object.keys(input) }, async (tx) => {
      // Any code no division in scope has (malformed, missing, outside) is the same NOT_FOUND.
      if (!/^\d{12}$/.test(input.regionCode)) throw notFound('region');
      const scope = regionPredicate(ctx.scope, 'r.code', 2);
      const regions: Array<{ level: string }> = await tx.query(`SELECT r.level FROM region r WHERE r.code = $1 AND ${scope.sql} FOR SHARE`, [input.regionCode, ...scope.params]);
      if (!regions.length) throw notFound('region');
      if (regions[0].level !== 'village' && regions[0].level !== 'township') throw badInput('input.regionCode', 'must be a village or a township');
      assertYearWithin(ctx, input.year, 'input.year', PROJECT_AHEAD_YEARS);
      assertDateOrder(input.startDate, input.endDate, 'input.endDate');
      const newId = await insertRow(tx, 'project', {
        county_code: input.regionCode.slice(0, 6), region_code: input.regionCode, name: input.name.trim(), kind: input.kind, year: input.year,
        budget: input.budget, status: ProjectStatus.PLANNED, implementing_unit: input.implementingUnit.trim(), start_date: input.startDate ?? null,
        end_date: input.endDate ?? null, beneficiary_households: input.beneficiaryHouseholds ?? null, fund_sources: [...new Set(input.fundSources)],
      });
      return { result: newId, entityId: newId, regionCode: input.regionCode };
    });
    return readBack(ctx, projectById, id, 'Project');
  }

  /** Moves a project on; approval and acceptance are announced. A move the machine does not allow answers IllegalProjectTransition. */
  static async transitionProject(ctx: RequestContext, id: string, version: number, input: ProjectTransitionInput): Promise<ProjectNode | IllegalProjectTransition> {
    try {
      await mutate(ctx, { department: OWNER, action: 'update', entity: 'Project', entityId: id, fields: ['status'] }, async (tx) => {
        const project = await lockProject(ctx, tx, id);
        if (project.version !== version) {
          throw new AppError('CONFLICT', `Project ${id} was changed by someone else (now at version ${project.version}); reload it and try again`, { currentVersion: project.version });
        }
        if (!PROJECT_TRANSITIONS[project.status].includes(input.to)) throw illegalProjectMove(project.status, input.to);
        await tx.query('UPDATE project SET status = $2, version = version + 1, updated_at = now() WHERE id = $1', [id, input.to]);
        if (input.to === ProjectStatus.APPROVED) await publishNotice(ctx, tx, id, NoticeKind.APPROVAL);
        if (input.to === ProjectStatus.ACCEPTED) await publishNotice(ctx, tx, id, NoticeKind.ACCEPTANCE);
        return { result: id, entityId: id, regionCode: project.regionCode };
      });
    } catch (err) {
      if (err instanceof TransitionRefused) return err.result as IllegalProjectTransition;
      throw err;
    }
    return readBack(ctx, projectById, id, 'Project');
  }

  /**
   * Allocates funds to an approved project and announces it. The project row is locked first,
   * so concurrent allocations are checked one after the other and never jointly exceed the
   * budget; one that would answers BudgetExceeded.
   */
  static async allocateFunds(ctx: RequestContext, projectId: string, input: AllocateFundsInput): Promise<FundAllocationNode | BudgetExceeded> {
    let id: string;
    try {
      id = await mutate(ctx, { department: OWNER, action: 'create', entity: 'FundAllocation', entityId: null, fields: Object.keys(input) }, async (tx) => {
        const project = await lockProject(ctx, tx, projectId);
        if (!FUNDABLE.includes(project.status)) {
          throw new AppError('CONFLICT', `Project ${projectId} is ${project.status}: funds are allocated to approved projects until their acceptance`);
        }
        if (!project.fundSources.includes(input.source)) throw badInput('input.source', `is not one of the project's fund sources (${project.fundSources.join(', ')})`);
        assertDateWithin(ctx, input.allocatedOn, 'input.allocatedOn');
        // Compared in numeric, in SQL: exact to the fen.
        const [sums]: Array<{ allocated: number; over: boolean }> = await tx.query(
          `SELECT coalesce(sum(a.amount), 0)::float8 AS allocated, coalesce(sum(a.amount), 0) + $2::numeric > $3::numeric AS over
             FROM fund_allocation a WHERE a.project_id = $1`,
          [projectId, input.amount, project.budget],
        );
        if (sums.over) throw budgetExceeded(Number(project.budget), sums.allocated, input.amount);
        const newId = await insertRow(tx, 'fund_allocation', {
          county_code: project.regionCode.slice(0, 6), project_id: projectId, source: input.source, amount: input.amount,
          allocated_on: input.allocatedOn, announced_on: ctx.today,
        });
        await publishNotice(ctx, tx, projectId, NoticeKind.ALLOCATION, newId);
        return { result: newId, entityId: newId, regionCode: project.regionCode };
      });
    } catch (err) {
      if (err instanceof TransitionRefused) return err.result as BudgetExceeded;
      throw err;
    }
    return readBack(ctx, fundAllocationById, id, 'FundAllocation');
  }
}
