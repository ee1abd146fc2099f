export { Household } from './household.entity';
export { HouseholdIncome } from './household-income.entity';
export { HouseholdSecondaryCause } from './household-secondary-cause.entity';
export { HouseholdStatusEvent } from './household-status-event.entity';
export { Person } from './person.entity';
export { PovertyCauseTerm } from './poverty-cause-term.entity';
