import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey } from './api-key.service';
import { ApiKeyNode, CreateApiKeyInput, IssuedApiKey } from './api-key.types';

// API keys of third parties (第三方接口密钥): administrators only. Secrets appear in the answer
// of createApiKey and rotateApiKey, once; nothing else ever shows them.

@Resolver()
export class ApiKeyResolver {
  @Query(() => [ApiKeyNode], { description: '接口密钥 the API keys issued inside your scope, newest first, without secrets (administrators).' })
  @Authorized<Permission>('admin')
  apiKeys(
    @Ctx() ctx: RequestContext,
    @Arg('includeRevoked', () => Boolean, { defaultValue: false, description: '含已吊销 list revoked keys too.' }) includeRevoked: boolean,
  ): Promise<ApiKeyNode[]> {
    return listApiKeys(ctx, includeRevoked);
  }

  @Mutation(() => IssuedApiKey, { description: '签发密钥 issues an API key to a third party; the answer carries the whole key, shown this once (administrators).' })
  @Authorized<Permission>('admin')
  createApiKey(@Ctx() ctx: RequestContext, @Arg('input', () => CreateApiKeyInput, { description: 'What the key is bound to.' }) input: CreateApiKeyInput): Promise<IssuedApiKey> {
    return createApiKey(ctx, input);
  }

  @Mutation(() => IssuedApiKey, {
    description: '轮换密钥 replaces a key\'s secret: the answer carries the new whole key, shown this once; the old one is refused from now on, with no grace period (administrators).',
  })
  @Authorized<Permission>('admin')
  rotateApiKey(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'The key id.' }) id: string): Promise<IssuedApiKey> {
    return rotateApiKey(ctx, id);
  }

  @Mutation(() => ApiKeyNode, { description: '吊销密钥 revokes a key for good: refused from now on (administrators).' })
  @Authorized<Permission>('admin')
  revokeApiKey(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'The key id.' }) id: string): Promise<ApiKeyNode> {
    return revokeApiKey(ctx, id);
  }
}
