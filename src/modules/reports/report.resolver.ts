import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { LocalDate } from '../../core/scalars';
import { ReportDimension, ReportMetric } from './report-catalog';
import { runReport } from './report.service';
import { Report, ReportDefinitionInput, ReportFilter, SavedReportNode } from './report.types';
import { deleteReport, listSavedReports, parseDefinition, savedDefinition, saveReport } from './saved-report.service';

// Reports (统计报表) for the data team, coordinators and officers (report:read): aggregates over
// the caller's region only, with no identifiers. Saved definitions belong to their owner alone.

@Resolver()
export class ReportResolver {
  @Query(() => Report, {
    description:
      '统计报表 a report: the metrics asked, broken down by up to 3 dimensions, with every subtotal (小计) and the grand total (总计), ' +
      'computed in one SQL statement over your scope. Every metric must be of a grain that carries every dimension and filter asked (README "Reports").',
  })
  @Authorized<Permission>('report:read')
  report(
    @Ctx() ctx: RequestContext,
    @Arg('dimensions', () => [ReportDimension], { description: '维度 at most 3, in the order wanted.' }) dimensions: ReportDimension[],
    @Arg('metrics', () => [ReportMetric], { description: '指标 the metrics.' }) metrics: ReportMetric[],
    @Arg('filter', () => ReportFilter, { nullable: true, description: '筛选 what to count.' }) filter?: ReportFilter | null,
    @Arg('asOf', () => LocalDate, { nullable: true, description: '基准日 reference date (today by default).' }) asOf?: string | null,
  ): Promise<Report> {
    return runReport(ctx, parseDefinition({ dimensions, metrics, filter: filter ? { ...filter } : null }, 'report'), asOf ?? ctx.today);
  }

  @Query(() => [SavedReportNode], { description: '已保存报表 your saved report definitions, by name (yours alone).' })
  @Authorized<Permission>('report:read')
  savedReports(@Ctx() ctx: RequestContext): Promise<SavedReportNode[]> {
    return listSavedReports(ctx);
  }

  @Query(() => Report, { description: '运行已保存报表 runs one of your saved reports over your scope as it is now.' })
  @Authorized<Permission>('report:read')
  async runSavedReport(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'The saved report (yours).' }) id: string,
    @Arg('asOf', () => LocalDate, { nullable: true, description: '基准日 reference date (today by default).' }) asOf?: string | null,
  ): Promise<Report> {
    return runReport(ctx, await savedDefinition(ctx, id), asOf ?? ctx.today);
  }

  @Mutation(() => SavedReportNode, {
    description: '保存报表 saves a report definition under a name (checked as `report` checks it); with `id` and `version`, changes one of yours.',
  })
  @Authorized<Permission>('report:write')
  saveReport(
    @Ctx() ctx: RequestContext,
    @Arg('name', () => String, { description: '名称 1–100 characters, unique among yours.' }) name: string,
    @Arg('definition', () => ReportDefinitionInput, { description: '定义 dimensions, metrics and filter.' }) definition: ReportDefinitionInput,
    @Arg('id', () => ID, { nullable: true, description: 'The saved report to change (none: a new one).' }) id?: string | null,
    @Arg('version', () => Int, { nullable: true, description: 'Its version as you read it (required with `id`).' }) version?: number | null,
  ): Promise<SavedReportNode> {
    return saveReport(ctx, { name, definition: { ...definition, filter: definition.filter ? { ...definition.filter } : null }, id, version });
  }

  @Mutation(() => ID, { description: '删除报表 deletes one of your saved reports; answers its id.' })
  @Authorized<Permission>('report:write')
  deleteReport(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'The saved report (yours).' }) id: string,
    @Arg('version', () => Int, { nullable: true, description: 'Its version as you read it (optional).' }) version?: number | null,
  ): Promise<string> {
    return deleteReport(ctx, id, version);
  }
}
