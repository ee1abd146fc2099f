export { householdById } from './household.loaders';
export { membersByHouseholdId, personById } from './person.loaders';
