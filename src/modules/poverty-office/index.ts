// Public surface of the poverty-office module. Other modules import only from here.
export * from './poverty-office.entities';
export { CadreNode, FundAllocationNode, MeasureNode, PairingNode, ProjectNode } from './poverty-office.types';
export {
  fundAllocationsByProjectId, measureById, measuresByHouseholdId, pairingById, pairingsByHouseholdId, projectsByRegionPrefix,
} from './poverty-office.loaders';
export { PovertyOfficeWriteService } from './poverty-office-write.service';
export { MeasureWriteService } from './measure-write.service';
export { MeasureStage } from './measure-stage';
export { NoticeKind, ProjectStatus } from './project-stage';
export { usePairingLoadLimit } from './pairing-coverage.service';

import {
  PovertyOfficeHouseholdResolver, ProjectResolver, RegionProjectsResolver, VillageProjectsResolver,
} from './poverty-office.resolver';
import { PovertyOfficeWriteResolver } from './poverty-office-write.resolver';
import { MeasureWriteResolver, VillageMeasuresResolver } from './measure.resolver';
import { ProjectWriteResolver } from './project.resolver';
import { CadrePairingsResolver, PairingVisitsResolver, PairingWorkResolver } from './pairing.resolver';
import { HouseholdSupportPlanResolver, SupportPlanResolver, SupportPlanWriteResolver } from './support-plan.resolver';

/** Resolver classes of this module (facet edges on Household, Region and Village, Project's own edges, and its writes). */
export const povertyOfficeResolvers: Function[] = [
  PovertyOfficeHouseholdResolver, RegionProjectsResolver, VillageProjectsResolver, ProjectResolver, PovertyOfficeWriteResolver,
  MeasureWriteResolver, VillageMeasuresResolver, ProjectWriteResolver, PairingWorkResolver, PairingVisitsResolver, CadrePairingsResolver,
  SupportPlanResolver, HouseholdSupportPlanResolver, SupportPlanWriteResolver,
];
