import { Column } from 'typeorm';

/** The six utilities (六到农家) as embedded columns, shared by villages and households. */
export class Utilities {
  @Column({ name: 'has_water', type: 'boolean', default: false })
  water!: boolean;

  @Column({ name: 'has_electricity', type: 'boolean', default: false })
  electricity!: boolean;

  @Column({ name: 'has_road', type: 'boolean', default: false })
  road!: boolean;

  @Column({ name: 'has_safe_housing', type: 'boolean', default: false })
  housing!: boolean;

  @Column({ name: 'has_network', type: 'boolean', default: false })
  network!: boolean;

  @Column({ name: 'has_sanitation', type: 'boolean', default: false })
  environment!: boolean;
}
