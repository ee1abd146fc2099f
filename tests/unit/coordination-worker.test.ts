import { householdsOf } from '../../src/modules/coordination/coordination.worker';

// Which households a page of change events makes the coordination worker re-evaluate.
describe('householdsOf', () => {
  it('takes each household once, from facet events and from registry events about a household', () => {
    expect(householdsOf([
      { entity: 'DibaoEnrolment', entityId: '7', householdId: '12' },
      { entity: 'InsuranceEnrolment', entityId: '8', householdId: '12' },
      { entity: 'Household', entityId: '13', householdId: null },
      { entity: 'Person', entityId: '99', householdId: '14' },
    ])).toEqual(['12', '13', '14']);
  });

  it('skips the rules\' own output and procedure steps (an announcement writes its own Household event)', () => {
    expect(householdsOf([
      { entity: 'CoordinationGap', entityId: '1', householdId: '12' },
      { entity: 'procedure', entityId: '2', householdId: '13' },
      { entity: 'ImportBatch', entityId: '3', householdId: null },
    ])).toEqual([]);
  });
});
