import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, importSPKI, jwtVerify, JWTVerifyGetKey, KeyLike, SignJWT } from 'jose';
import { z } from 'zod';
import { dataDirSecret } from '../data-dir-secret';
import { AppError } from '../errors';
import { Department } from '../vocab';
import { Principal, Role } from './roles';

/** Where verification keys come from (config): a shared secret, a PEM public key or a JWKS URL. */
export interface TokenConfig {
  AUTH_JWT_SECRET?: string;
  AUTH_PUBLIC_KEY?: string;
  AUTH_JWKS_URL?: string;
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
  DATA_DIR: string;
  /** Longest accepted lifetime (exp − iat), seconds; default 12 h. */
  AUTH_MAX_TOKEN_LIFETIME?: number;
  /** How far in the future an `iat` may lie (issuer's clock ahead of ours), seconds; default 60. `exp` holds exactly. */
  AUTH_CLOCK_SKEW?: number;
}

/** A verified token: who, and until when (epoch milliseconds) the token holds. */
export interface VerifiedToken {
  principal: Principal;
  expiresAt: number;
}

const DEFAULT_MAX_LIFETIME = 12 * 3600;
/** Verified tokens remembered per process (each entry ~200 bytes). */
const CACHE_ENTRIES = 10_000;
/**
 * With keys fetched from a JWKS URL, how long a verification is trusted: a key the identity
 * provider withdraws stops working within this time, not only when its tokens expire.
 */
const JWKS_TRUST_MS = 60_000;
const DEFAULT_CLOCK_SKEW = 60;

const claimsSchema = z
  .object({
    sub: z.string().min(1).max(128),
    // A third party is only ever an API key (ingest of the aggregates issue), never a bearer token.
    role: z.nativeEnum(Role).refine((r) => r !== Role.THIRD_PARTY, { message: 'third parties call with an API key, not a token' }),
    department: z.nativeEnum(Department).optional(),
    scope: z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/),
  })
  .refine((c) => (c.role === Role.OFFICER) === (c.department !== undefined), {
    message: 'an officer token names a department, and only an officer token does',
  });

const unauthenticated = (why: string) => new AppError('UNAUTHENTICATED', `Not authenticated: ${why}`, { http: { status: 401 } });

/**
 * Verifies bearer tokens. One instance per process; keys are resolved once at boot.
 */
export class TokenVerifier {
  /** Token digest → verification, oldest first (an LRU); entries hold until `trustedUntil`. */
  private readonly cache = new Map<string, VerifiedToken & { trustedUntil: number }>();

  private constructor(
    private readonly key: Uint8Array | KeyLike | JWTVerifyGetKey,
    private readonly algorithms: string[],
    private readonly issuer: string,
    private readonly audience: string,
    private readonly maxLifetime: number,
    private readonly clockSkew: number,
    /** How long one verification is trusted at most (a key that can change underneath: JWKS). */
    private readonly trustMs: number,
  ) {}

  /** Forgets every remembered verification (a key changed). */
  clearCache(): void {
    this.cache.clear();
  }

  static async create(config: TokenConfig): Promise<TokenVerifier> {
    const limits = [config.AUTH_ISSUER, config.AUTH_AUDIENCE, config.AUTH_MAX_TOKEN_LIFETIME ?? DEFAULT_MAX_LIFETIME, config.AUTH_CLOCK_SKEW ?? DEFAULT_CLOCK_SKEW] as const;
    if (config.AUTH_JWKS_URL) {
      return new TokenVerifier(createRemoteJWKSet(new URL(config.AUTH_JWKS_URL)), ['RS256', 'ES256', 'EdDSA'], ...limits, JWKS_TRUST_MS);
    }
    if (config.AUTH_PUBLIC_KEY) {
      return new TokenVerifier(await importSPKI(config.AUTH_PUBLIC_KEY, 'RS256'), ['RS256'], ...limits, Infinity);
    }
    return new TokenVerifier(signingSecret(config), ['HS256'], ...limits, Infinity);
  }

  /** The principal of an Authorization header; null without one; UNAUTHENTICATED when bad. */
  async principalOf(authorization: string | undefined): Promise<Principal | null> {
    return (await this.verify(authorization))?.principal ?? null;
  }

  /**
   * The principal of an Authorization header and when its token expires; null without one;
   * UNAUTHENTICATED when bad, expired, issued in the future (beyond the clock skew) or valid
   * for longer than the configured maximum: a token means what it said only for a bounded time.
   */
  async verify(authorization: string | undefined): Promise<VerifiedToken | null> {
    if (authorization === undefined || authorization === '') return null;
    const match = /^Bearer ([A-Za-z0-9_\-.]{10,4096})$/.exec(authorization.trim());
    if (!match) throw unauthenticated('expected "Authorization: Bearer <token>"');
    // A token verified before holds until it expires (exactly: `exp` has no skew), so a request
    // with it skips the signature check. Refusals are not remembered: each is checked again.
    const digest = createHash('sha256').update(match[1]).digest('base64');
    const now = Date.now();
    const known = this.cache.get(digest);
    if (known) {
      this.cache.delete(digest);
      if (now < known.trustedUntil) {
        this.cache.set(digest, known);
        return { principal: known.principal, expiresAt: known.expiresAt };
      }
    }
    const verified = await this.verifySignature(match[1]);
    if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(digest, { ...verified, trustedUntil: Math.min(verified.expiresAt, now + this.trustMs) });
    return verified;
  }

  private async verifySignature(token: string): Promise<VerifiedToken> {
    let payload: Record<string, unknown>;
    try {
      const verified = await jwtVerify(token, this.key as Uint8Array, {
        algorithms: this.algorithms,
        issuer: this.issuer,
        audience: this.audience,
        requiredClaims: ['exp', 'iat', 'sub'],
      });
      payload = verified.payload;
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw unauthenticated(code === 'ERR_JWT_EXPIRED' ? 'token expired' : 'token invalid');
    }
    // jose has checked that both are numbers; the two rules below are ours.
    const iat = payload.iat as number;
    const exp = payload.exp as number;
    if (iat > Date.now() / 1000 + this.clockSkew) throw unauthenticated('token issued in the future');
    if (exp - iat > this.maxLifetime) throw unauthenticated(`token lifetime exceeds the maximum of ${this.maxLifetime} s`);
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw unauthenticated(`malformed claims (${claims.error.issues[0]?.message ?? 'invalid'})`);
    const c = claims.data;
    return { principal: { subject: c.sub, role: c.role, department: c.department ?? null, scope: c.scope }, expiresAt: exp * 1000 };
  }
}

/**
 * The HS256 secret: AUTH_JWT_SECRET, or for the embedded demo a random key generated once in
 * DATA_DIR (never used when a real key is configured).
 */
export function signingSecret(config: Pick<TokenConfig, 'AUTH_JWT_SECRET' | 'DATA_DIR'>): Uint8Array {
  if (config.AUTH_JWT_SECRET) return new TextEncoder().encode(config.AUTH_JWT_SECRET);
  return new TextEncoder().encode(dataDirSecret(config.DATA_DIR, 'dev-signing-key', () => randomBytes(32).toString('hex')));
}

/** Issues an HS256 token (dev key or AUTH_JWT_SECRET): `npm run token`, demo tokens, tests. */
export function issueToken(
  config: Pick<TokenConfig, 'AUTH_JWT_SECRET' | 'DATA_DIR' | 'AUTH_ISSUER' | 'AUTH_AUDIENCE'>,
  claims: { sub: string; role: Role; department?: Department | null; scope: string },
  expiresIn = '12h',
): Promise<string> {
  const payload: Record<string, unknown> = { role: claims.role, scope: claims.scope };
  if (claims.department) payload.department = claims.department;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(config.AUTH_ISSUER)
    .setAudience(config.AUTH_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(signingSecret(config));
}
