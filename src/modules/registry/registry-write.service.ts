import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../core/context';
import { AppError, badInput, notFound } from '../../core/errors';
import { isValidIdNumber } from '../../core/id-number';
import { regionPredicate } from '../../core/scope';
import { definedOnly, householdAnchor, insertRow, mutate } from '../../core/writes';
import { HealthCategory, HouseholdStatus, Gender } from '../../core/vocab';
import { householdById } from './household.loaders';
import { checkRegistrationRate, refuseDuplicate } from './duplicate-check';
import { HouseholdService } from './household.service';
import { personById } from './person.loaders';
import type { CreateHouseholdInput, CreatePersonInput, UpdateHouseholdInput, UpdatePersonInput, UtilitiesInput } from './registry.inputs';
import type { HouseholdNode, PersonNode } from './registry.types';

// Registry writes: households and persons belong to 扶贫办 the poverty office. Each is one
// transaction with its audit record and change event (core/writes.ts); the registry is the
// core every department shares, so its change events name no owner department.

const utilityColumns = (u: UtilitiesInput) => ({
  has_water: u.water, has_electricity: u.electricity, has_road: u.road,
  has_safe_housing: u.housing, has_network: u.network, has_sanitation: u.environment,
});

function checkCauses(main: string | null | undefined, secondary: string[] | undefined): void {
  if (secondary && main && secondary.includes(main)) throw badInput('input.secondaryCauses', 'must not repeat the main cause');
  if (secondary && new Set(secondary).size !== secondary.length) throw badInput('input.secondaryCauses', 'lists a cause twice');
}

async function replaceSecondaryCauses(tx: EntityManager, householdId: string, countyCode: string, causes: string[]): Promise<void> {
  await tx.query('DELETE FROM household_secondary_cause WHERE household_id = $1', [householdId]);
  if (causes.length) {
    await tx.query(
      `INSERT INTO household_secondary_cause (household_id, cause_code, vocabulary_version, county_code)
       SELECT $1, c, 1, $2 FROM unnest($3::varchar[]) c`,
      [householdId, countyCode, causes],
    );
  }
}

export class RegistryWriteService {
  static async createHousehold(ctx: RequestContext, input: CreateHouseholdInput): Promise<HouseholdNode> {
    const id = await mutate(ctx, { action: 'create', entity: 'Household', entityId: null, fields: Object.keys(input) }, async (tx) => {
      await checkRegistrationRate(ctx, tx);
      const scope = regionPredicate(ctx.scope, 'v.code', 2);
      const villages: Array<{ countyCode: string }> = await tx.query(
        `SELECT v.county_code AS "countyCode" FROM village v WHERE v.code = $1 AND ${scope.sql}`,
        [input.villageCode, ...scope.params],
      );
      if (!villages.length) throw badInput('input.villageCode', 'not a village inside your scope');
      if (input.status !== HouseholdStatus.NONE && (input.identificationYear == null || !input.mainCause)) {
        throw badInput('input.identificationYear', 'a registered, exited or monitored household needs an identification year and a main cause');
      }
      checkCauses(input.mainCause, input.secondaryCauses);
      await refuseDuplicate(ctx, tx, { table: 'household', column: 'number', value: input.number, field: 'input.number', inScopeMessage: 'is already used by another household' });
      const countyCode = villages[0].countyCode;
      const newId = await insertRow(tx, 'household', {
        number: input.number, village_code: input.villageCode, county_code: countyCode, status: input.status,
        identification_year: input.identificationYear ?? null, identification_standard: input.identificationStandard ?? null,
        main_cause: input.mainCause ?? null, ...utilityColumns(input.utilities),
      });
      await replaceSecondaryCauses(tx, newId, countyCode, input.secondaryCauses);
      await tx.query(
        `INSERT INTO household_status_event (household_id, county_code, from_status, to_status, occurred_on, reason) VALUES ($1, $2, NULL, $3, $4, $5)`,
        [newId, countyCode, input.status, ctx.today, 'registered in the system'],
      );
      return { result: newId, entityId: newId, regionCode: input.villageCode, householdId: newId };
    });
    return HouseholdService.get(ctx, id);
  }

  static async updateHousehold(ctx: RequestContext, id: string, version: number, patch: UpdateHouseholdInput): Promise<HouseholdNode> {
    await mutate(ctx, { action: 'update', entity: 'Household', entityId: id, fields: Object.keys(definedOnly({ ...patch })) }, async (tx) => {
      await householdAnchor(ctx, tx, id);
      const [current]: Array<{ version: number; status: HouseholdStatus; mainCause: string | null; countyCode: string; villageCode: string }> = await tx.query(
        `SELECT version, status, main_cause AS "mainCause", county_code AS "countyCode", village_code AS "villageCode" FROM household WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (current.version !== version) {
        throw new AppError('CONFLICT', `Household ${id} was changed by someone else (now at version ${current.version}); reload it and try again`, { currentVersion: current.version });
      }
      checkCauses(patch.mainCause ?? current.mainCause, patch.secondaryCauses);
      if (patch.statusDate && patch.statusDate > ctx.today) throw badInput('input.statusDate', 'must not be in the future');
      const set = definedOnly({
        status: patch.status, identification_year: patch.identificationYear, identification_standard: patch.identificationStandard,
        main_cause: patch.mainCause, ...(patch.utilities ? utilityColumns(patch.utilities) : {}),
      });
      const columns = Object.keys(set);
      await tx.query(
        `UPDATE household SET ${[...columns.map((c, i) => `"${c}" = $${i + 2}`), 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1`,
        [id, ...Object.values(set)],
      );
      if (patch.secondaryCauses) await replaceSecondaryCauses(tx, id, current.countyCode, patch.secondaryCauses);
      if (patch.status && patch.status !== current.status) {
        await tx.query(
          `INSERT INTO household_status_event (household_id, county_code, from_status, to_status, occurred_on, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
          [id, current.countyCode, current.status, patch.status, patch.statusDate ?? ctx.today, patch.statusReason ?? null],
        );
      }
      return { result: id, entityId: id, regionCode: current.villageCode, householdId: id };
    });
    ctx.loaders.get(householdById).clear(id);
    return HouseholdService.get(ctx, id);
  }

  static async createPerson(ctx: RequestContext, householdId: string, input: CreatePersonInput): Promise<PersonNode> {
    const id = await mutate(ctx, { action: 'create', entity: 'Person', entityId: null, fields: Object.keys(input) }, async (tx) => {
      await checkRegistrationRate(ctx, tx);
      const anchor = await householdAnchor(ctx, tx, householdId);
      checkIdNumber(input.idNumber, input.birthDate, input.gender);
      if (input.birthDate > ctx.today) throw badInput('input.birthDate', 'must not be in the future');
      if ((input.disabilityLevel != null) !== (input.healthCategory === HealthCategory.DISABLED)) {
        throw badInput('input.disabilityLevel', 'is given exactly when the health category is DISABLED');
      }
      await refuseDuplicate(ctx, tx, { table: 'person', column: 'id_number', value: input.idNumber, field: 'input.idNumber', inScopeMessage: 'is already registered' });
      const newId = await insertRow(tx, 'person', {
        household_id: householdId, village_code: anchor.villageCode, county_code: anchor.countyCode, relation: input.relation,
        name: input.name, id_number: input.idNumber, gender: input.gender, birth_date: input.birthDate,
        labour_ability: input.labourAbility, health_category: input.healthCategory, disability_level: input.disabilityLevel ?? null,
        schooling_stage: input.schoolingStage,
      });
      return { result: newId, entityId: newId, regionCode: anchor.villageCode, householdId, personId: newId };
    });
    return loadPerson(ctx, id);
  }

  static async updatePerson(ctx: RequestContext, id: string, version: number, patch: UpdatePersonInput): Promise<PersonNode> {
    await mutate(ctx, { action: 'update', entity: 'Person', entityId: id, fields: Object.keys(definedOnly({ ...patch })) }, async (tx) => {
      if (!/^\d{1,18}$/.test(id)) throw notFound('person');
      const scope = regionPredicate(ctx.scope, 'p.village_code', 2);
      const [current]: Array<{ version: number; householdId: string; villageCode: string; healthCategory: HealthCategory; disabilityLevel: number | null }> = await tx.query(
        `SELECT p.version, p.household_id::text AS "householdId", p.village_code AS "villageCode", p.health_category AS "healthCategory", p.disability_level AS "disabilityLevel"
           FROM person p WHERE p.id = $1 AND ${scope.sql} FOR UPDATE`,
        [id, ...scope.params],
      );
      if (!current) throw notFound('person');
      if (current.version !== version) {
        throw new AppError('CONFLICT', `Person ${id} was changed by someone else (now at version ${current.version}); reload it and try again`, { currentVersion: current.version });
      }
      const health = patch.healthCategory ?? current.healthCategory;
      const level = patch.disabilityLevel !== undefined ? patch.disabilityLevel : health === HealthCategory.DISABLED ? current.disabilityLevel : null;
      if ((level != null) !== (health === HealthCategory.DISABLED)) throw badInput('input.disabilityLevel', 'is given exactly when the health category is DISABLED');
      const set = definedOnly({
        relation: patch.relation, name: patch.name, labour_ability: patch.labourAbility, health_category: patch.healthCategory,
        schooling_stage: patch.schoolingStage,
      });
      set.disability_level = level;
      const columns = Object.keys(set);
      await tx.query(
        `UPDATE person SET ${[...columns.map((c, i) => `"${c}" = $${i + 2}`), 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1`,
        [id, ...Object.values(set)],
      );
      return { result: id, entityId: id, regionCode: current.villageCode, householdId: current.householdId, personId: id };
    });
    ctx.loaders.get(personById).clear(id);
    return loadPerson(ctx, id);
  }
}

async function loadPerson(ctx: RequestContext, id: string): Promise<PersonNode> {
  const person = await ctx.loaders.get(personById).load(id);
  if (!person) throw notFound('person');
  return person;
}

/** GB 11643: checksum, and the birth date and gender the number encodes must match the input. */
function checkIdNumber(idNumber: string, birthDate: string, gender: Gender): void {
  if (!isValidIdNumber(idNumber)) throw badInput('input.idNumber', 'is not a valid 18-digit resident ID number (GB 11643 checksum)');
  const encoded = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  if (encoded !== birthDate) throw badInput('input.birthDate', `does not match the birth date in the ID number (${encoded})`);
  const odd = Number(idNumber[16]) % 2 === 1;
  if (odd !== (gender === Gender.MALE)) throw badInput('input.gender', 'does not match the ID number (odd 17th digit = male)');
}
