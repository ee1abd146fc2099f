// Public surface of the procedures module (识别、退出、防返贫监测纳入 with public notice, issue 12 §4):
// one state machine for three procedures, steps through the write pipeline, notice texts without
// identifiers, refusals as union results.
import { HouseholdProceduresResolver, ProcedureResolver } from './procedure.resolver';

export { procedureEntities, ProcedureKind, ProcedureStep, ProcedureStatus, MonitoringSubject } from './procedure.entities';
export { setProcedureNoticeDays, DEFAULT_NOTICE_DAYS, STEP_ORDER } from './procedure.machine';
// For readers of procedure change events (entity 'procedure', entity id = the procedure's id):
// the procedure as the subscriber may see it, scoped like every read.
export { procedureById } from './procedure.loaders';
export { ProcedureNode } from './procedure.types';
export const procedureResolvers = [ProcedureResolver, HouseholdProceduresResolver] as const;
