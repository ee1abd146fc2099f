import { registerEnumType } from 'type-graphql';

/** The six utilities (六到农家) a measure can provide. */
export enum Utility {
  WATER = 'water',
  ELECTRICITY = 'electricity',
  ROAD = 'road',
  HOUSING = 'housing',
  NETWORK = 'network',
  ENVIRONMENT = 'environment',
}

registerEnumType(Utility, {
  name: 'Utility',
  description: '六到农家 one of the six utilities of a village or household.',
  valuesConfig: {
    WATER: { description: '水 safe drinking water' },
    ELECTRICITY: { description: '电 grid electricity' },
    ROAD: { description: '路 hardened road' },
    HOUSING: { description: '房 safe housing' },
    NETWORK: { description: '网络/广电 broadband and radio/TV' },
    ENVIRONMENT: { description: '环境 sanitation: toilet and waste' },
  },
});

/** The village and household column of each utility (region/utilities.embedded.ts). */
export const UTILITY_COLUMN: Readonly<Record<Utility, string>> = {
  [Utility.WATER]: 'has_water',
  [Utility.ELECTRICITY]: 'has_electricity',
  [Utility.ROAD]: 'has_road',
  [Utility.HOUSING]: 'has_safe_housing',
  [Utility.NETWORK]: 'has_network',
  [Utility.ENVIRONMENT]: 'has_sanitation',
};
