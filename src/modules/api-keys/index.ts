// Public surface of the api-keys module (第三方接口密钥, issue 9 §3): administrators' key
// management, and the third-party door the server puts in front of /graphql.
import { ApiKeyResolver } from './api-key.resolver';

export { apiKeyEntities } from './api-key.entity';
export {
  auditThirdPartyCall, presentedApiKey, thirdPartyAuditEntry, thirdPartyCallOf, thirdPartyGate, type ThirdPartyCall,
} from './third-party.gate';
export { operationsByHash, publishedManifest, sha256Hex, type PersistedOperation } from './persisted-operations';
export const apiKeyResolvers: Function[] = [ApiKeyResolver];
