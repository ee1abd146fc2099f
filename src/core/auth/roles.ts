import { registerEnumType } from 'type-graphql';
import { Department } from '../vocab';

/** Roles of DESIGN §1. A third party is an organisation calling with an API key, never a token. */
export enum Role {
  OFFICER = 'officer',
  COORDINATOR = 'coordinator',
  ANALYST = 'analyst',
  AUDITOR = 'auditor',
  ADMIN = 'admin',
  THIRD_PARTY = 'third_party',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'Role of a caller (角色).',
  valuesConfig: {
    OFFICER: { description: '部门业务人员 department officer' },
    COORDINATOR: { description: '扶贫开发领导小组 coordinator of the county/township leading group' },
    ANALYST: { description: '统计分析人员 data team analyst' },
    AUDITOR: { description: '审计/纪检 auditor' },
    ADMIN: { description: '系统管理员 administrator' },
    THIRD_PARTY: { description: '社会扶贫 third party (NGO, enterprise, foundation) with an API key: approved aggregates only' },
  },
});

/** A verified caller: who, in which role, for which department, over which region. */
export interface Principal {
  subject: string;
  role: Role;
  /** The officer's department; null for roles without one. */
  department: Department | null;
  /** Division-code prefix (2, 4, 6, 9 or 12 digits) the caller may see and change. */
  scope: string;
  /** Third parties only: the organisation an API key is bound to. */
  organisation?: string;
  /** Third parties only: codes of the approved-aggregate catalog entries the key may read. */
  catalogEntries?: readonly string[];
}
